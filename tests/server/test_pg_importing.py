"""tests.services.test_importing: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.services.test_importing import *  # noqa: F403
