"""tests.faults.test_hostile_codebooks: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.faults.test_hostile_codebooks import *  # noqa: F403
