"""A throwaway PostgreSQL server for tests (and benchmarks): started in a temporary folder,
listening on 127.0.0.1 only, stopped and deleted at the end.

``ANNOTATOR_TEST_PG_URL`` names an existing server instead (a role that may CREATE DATABASE).
Without it, the server binaries (``initdb``, ``pg_ctl``) are looked for on PATH and in
``/usr/lib/postgresql/*/bin``. PostgreSQL refuses to run as root: as root, the server runs as
the ``postgres`` user (Debian's package creates it).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

URL_VARIABLE = "ANNOTATOR_TEST_PG_URL"


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, newest version first; None when absent."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    found = shutil.which("pg_ctl")
    if found:
        candidates.insert(0, str(Path(found).resolve().parent))
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalServer:
    """``start()`` returns the admin URL (``postgresql://USER@127.0.0.1:PORT/postgres``)."""

    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0
        self.user = "postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.binaries / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> str:
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", self.user, "-E", "UTF8",
                  "--no-locale")
        # fsync off: a test server's data need not survive a power cut, and it runs much faster
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200")
        self._options = options
        self._start_cluster()
        return self.url("postgres")

    def _start_cluster(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-o", self._options, "-l",
                  str(self.folder / "log"), "-w", "-t", "60", "start")

    def restart(self, down_s: float = 0.0) -> None:
        """Stop the server as an administrator would (clients are disconnected, committed
        work is kept), leave it down for ``down_s`` seconds, and start it again."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")
        time.sleep(down_s)
        self._start_cluster()

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
