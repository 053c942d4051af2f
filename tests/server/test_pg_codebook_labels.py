"""tests.services.test_codebook_labels: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.services.test_codebook_labels import *  # noqa: F403
