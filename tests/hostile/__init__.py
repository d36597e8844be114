"""The hostile-input corpus (``cases.py``), driven by ``tests/test_hostile.py``."""
