"""tests.learning.test_active_ordering: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.learning.test_active_ordering import *  # noqa: F403
