"""tests.services.test_preannotate: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.services.test_preannotate import *  # noqa: F403
