"""tests.storage.test_coder_ids: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.storage.test_coder_ids import *  # noqa: F403
