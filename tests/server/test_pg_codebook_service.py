"""tests.services.test_codebook_service: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.services.test_codebook_service import *  # noqa: F403
