"""bmz-collection: git-native tooling for a BioImage.IO-style catalogue of partner collections."""

__version__ = "0.1.0"
