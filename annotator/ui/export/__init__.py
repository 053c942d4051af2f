"""Export options dialog."""
