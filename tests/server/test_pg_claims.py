"""tests.services.test_claims: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.services.test_claims import *  # noqa: F403
