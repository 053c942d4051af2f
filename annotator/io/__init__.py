"""Reading and writing files outside a project: importers that turn files into articles."""
