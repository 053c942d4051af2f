"""tests.reliability.test_adjudication: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.reliability.test_adjudication import *  # noqa: F403
