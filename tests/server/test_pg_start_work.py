"""tests.storage.test_start_work: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.storage.test_start_work import *  # noqa: F403
