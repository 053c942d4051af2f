"""tests.team.test_assignment: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.team.test_assignment import *  # noqa: F403
