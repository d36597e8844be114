"""bmz-collection: git-native tooling for a BioImage.IO-style catalogue of partner collections."""

__version__ = "0.1.0"
"""The one place the version is written (pyproject.toml reads it): see docs/releasing.md."""

PROJECT_URL = "https://github.com/bioimage-io/bmz-collection"
"""The project's canonical home (also pyproject.toml's ``[project.urls]``): where a partner's
pre-commit gets the hooks and a central repository's workflows get ``bmz``."""

RELEASE_TAG = f"v{__version__}"
"""The git tag of this release at ``PROJECT_URL``: the ``rev`` of the hooks in every scaffold."""

REQUIREMENT = f"bmz-collection @ git+{PROJECT_URL}@{RELEASE_TAG}"
"""This release for ``pip install`` (the package is installed from its tag, not from PyPI)."""
