"""tests.services.test_export_progress: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.services.test_export_progress import *  # noqa: F403
