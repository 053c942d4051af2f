"""tests.reliability.test_adjudication_export: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.reliability.test_adjudication_export import *  # noqa: F403
