"""tests.team.test_jsonl: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.team.test_jsonl import *  # noqa: F403
