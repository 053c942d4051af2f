"""tests.team.test_layers: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.team.test_layers import *  # noqa: F403
