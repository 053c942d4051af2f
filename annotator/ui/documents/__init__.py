"""Document list and its Qt item model."""
