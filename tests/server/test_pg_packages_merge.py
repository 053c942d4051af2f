"""tests.team.test_packages_merge: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.team.test_packages_merge import *  # noqa: F403
