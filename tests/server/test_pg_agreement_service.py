"""tests.reliability.test_agreement_service: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.reliability.test_agreement_service import *  # noqa: F403
