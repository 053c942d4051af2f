"""Pure Python types and rules of a coding study: no Qt, no SQLAlchemy, no spaCy."""
