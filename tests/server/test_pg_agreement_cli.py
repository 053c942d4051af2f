"""tests.reliability.test_agreement_cli: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.reliability.test_agreement_cli import *  # noqa: F403
