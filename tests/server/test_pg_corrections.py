"""tests.services.test_corrections: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.services.test_corrections import *  # noqa: F403
