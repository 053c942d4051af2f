"""tests.team.test_assignment_cli: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.team.test_assignment_cli import *  # noqa: F403
