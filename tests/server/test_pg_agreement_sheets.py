"""tests.reliability.test_agreement_sheets: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.reliability.test_agreement_sheets import *  # noqa: F403
