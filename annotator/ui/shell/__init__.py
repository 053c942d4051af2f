"""The main window and what frames it: menus, keys, settings, dialogs, background tasks."""
