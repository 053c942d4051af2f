"""tests.services.test_export: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.services.test_export import *  # noqa: F403
