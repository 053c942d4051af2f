"""tests.cli.test_cli: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.cli.test_cli import *  # noqa: F403
