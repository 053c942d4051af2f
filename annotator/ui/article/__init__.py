"""The article: text view, highlighting, find bar, context menu."""
