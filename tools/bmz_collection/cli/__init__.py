"""Command-line layer: one module per ``bmz`` command; ``main`` parses and dispatches."""
