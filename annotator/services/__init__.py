"""Use cases: open a project, import, pre-annotate, correct, code claims, export."""
