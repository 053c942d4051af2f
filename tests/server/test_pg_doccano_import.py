"""tests.interchange.test_doccano_import: the same test functions, run against PostgreSQL (see tests/server/conftest.py)."""

from tests.interchange.test_doccano_import import *  # noqa: F403
