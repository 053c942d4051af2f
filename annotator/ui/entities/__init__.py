"""Entity list and label palette."""
