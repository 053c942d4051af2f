"""tests.services.test_demo_patterns: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.services.test_demo_patterns import *  # noqa: F403
