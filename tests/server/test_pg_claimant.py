"""tests.services.test_claimant: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.services.test_claimant import *  # noqa: F403
