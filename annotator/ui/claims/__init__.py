"""Claims: panel, editor, inputs per variable kind, marks in the text."""
