"""tests.services.test_done_check: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.services.test_done_check import *  # noqa: F403
