"""Where a project lives: a file on disk, or a database on a PostgreSQL server.

What a researcher types (a path or ``postgresql://user@host:port/dbname``) becomes a
``Path`` or a ``ServerLocation``. A server location prints without its password, so it can be
named in messages, shown in window titles and remembered among recent projects as it prints.
The password itself comes from ``PGPASSWORD``, ``~/.pgpass`` (libpq reads both when the URL has
none) or, in the app, a prompt; it is kept in the location only for the connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

SERVER_SCHEMES = ("postgresql", "postgresql+psycopg", "postgres")
DEFAULT_PORT = 5432


class LocationError(ValueError):
    """What was typed is neither a path nor a server URL we can use."""


@dataclass(frozen=True)
class ServerLocation:
    """A project database on a PostgreSQL server."""

    host: str
    database: str
    user: str | None = None
    port: int = DEFAULT_PORT
    password: str | None = field(default=None, repr=False, compare=False)
    query: str = ""  # libpq options such as sslmode=require, passed on unchanged

    @property
    def name(self) -> str:
        """Like ``Path.name``: what a title bar or a short message shows."""
        return self.database

    @property
    def stem(self) -> str:
        """Like ``Path.stem``: the window title names the project by it."""
        return self.database

    def resolve(self) -> ServerLocation:
        """Like ``Path.resolve``: a URL is already absolute (the app compares locations so)."""
        return self

    def exists(self) -> bool:
        """Like ``Path.exists``: whether it can be offered (only the server can tell more)."""
        return True

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def url(self, with_password: bool = False) -> str:
        """The ``postgresql://`` URL; without the password unless asked (never to store it)."""
        user = quote(self.user, safe="") if self.user else ""
        if user and with_password and self.password is not None:
            user += ":" + quote(self.password, safe="")
        host = f"[{self.host}]" if ":" in self.host else self.host
        netloc = f"{user}@{host}:{self.port}" if user else f"{host}:{self.port}"
        suffix = f"?{self.query}" if self.query else ""
        return f"postgresql://{netloc}/{quote(self.database, safe='')}{suffix}"

    def with_password(self, password: str | None) -> ServerLocation:
        return replace(self, password=password)

    def __str__(self) -> str:
        return self.url()


ProjectLocation = Path | ServerLocation


def is_server_url(text: str) -> bool:
    scheme, sep, _rest = str(text).partition("://")
    return bool(sep) and scheme.lower() in SERVER_SCHEMES


def parse_server_url(text: str) -> ServerLocation:
    """``postgresql://user[:password]@host[:port]/dbname[?options]`` as a ServerLocation."""
    parts = urlsplit(text.strip())
    if parts.scheme.lower() not in SERVER_SCHEMES:
        raise LocationError(f"{text}: not a PostgreSQL URL (it must start with postgresql://)")
    database = unquote(parts.path.lstrip("/"))
    if not database or "/" in database:
        raise LocationError(
            f"{_without_password(text)}: the URL names no database; "
            "write postgresql://user@host:port/dbname"
        )
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise LocationError(f"{_without_password(text)}: the port is not a number") from None
    return ServerLocation(
        host=parts.hostname or "localhost",
        database=database,
        user=unquote(parts.username) if parts.username else None,
        port=port,
        password=unquote(parts.password) if parts.password is not None else None,
        query=parts.query,
    )


def parse_location(text: str | Path | ServerLocation) -> ProjectLocation:
    """A server URL becomes a ServerLocation; anything else is a path."""
    if isinstance(text, Path | ServerLocation):
        return text
    if is_server_url(text):
        return parse_server_url(text)
    return Path(text)


def display_location(location: ProjectLocation | str) -> str:
    """How a location is shown and remembered: a URL never carries its password."""
    if isinstance(location, str) and is_server_url(location):
        try:
            return parse_server_url(location).url()
        except LocationError:
            return _without_password(location)
    return str(location)


def _without_password(text: str) -> str:
    parts = urlsplit(text)
    if parts.password is None:
        return text
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
