"""tests.storage.test_document_details: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.storage.test_document_details import *  # noqa: F403
