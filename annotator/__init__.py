"""Annotator: correct spaCy's entities, tag claims and export coding studies to Excel."""

__version__ = "0.1.0"
