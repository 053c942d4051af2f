"""tests.team.test_coder_stats: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.team.test_coder_stats import *  # noqa: F403
