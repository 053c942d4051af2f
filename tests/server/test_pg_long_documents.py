"""tests.faults.test_long_documents: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.faults.test_long_documents import *  # noqa: F403
