"""Undoable edits and the controller that performs them through the services."""
