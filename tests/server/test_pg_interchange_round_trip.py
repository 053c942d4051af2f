"""tests.interchange.test_interchange_round_trip: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.interchange.test_interchange_round_trip import *  # noqa: F403
