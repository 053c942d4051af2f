"""Small Qt pieces every screen uses: the worker thread, tables, field keys, offsets."""
