"""SQLAlchemy storage of a project file: tables, migrations, repositories returning domain objects."""
