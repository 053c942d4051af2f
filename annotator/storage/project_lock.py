"""Who has a project open in the app: a lock file beside it, held with an operating-system lock.

``study.annotator.lock`` holds the owner (user, computer, process, since when) for others to
read, and the owner holds an OS lock on it for as long as the project is open. The OS lock,
not the file, decides: the system drops it when the process ends, however it ends (a crash,
kill -9, a power cut), so a lock file left behind is simply stale and taken over. Network
drives (NFS, SMB) carry such locks between computers. Where a file system cannot lock at all,
the file alone is trusted: a process of this computer that no longer runs does not count,
one of another computer does (we cannot ask it), until its file is deleted.

Why not the ``filelock`` package: it truncates the lock file on every attempt, which would
erase the owner's name that the "open in another window" question shows.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

LOCK_SUFFIX = ".lock"
_HELD = (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES)
#: Windows: lock one byte far past the owner's text, so others can still read it.
_WINDOWS_LOCK_OFFSET = 1 << 20


@dataclass(frozen=True)
class LockOwner:
    user: str
    host: str
    pid: int
    since: str  # ISO date and time, local

    @classmethod
    def me(cls) -> LockOwner:
        return cls(_user(), socket.gethostname(), os.getpid(), datetime.now().isoformat(timespec="seconds"))

    @property
    def since_text(self) -> str:
        try:
            when = datetime.fromisoformat(self.since)
        except ValueError:
            return self.since or "an unknown time"
        if when.date() == datetime.now().date():
            return when.strftime("%H:%M")
        return when.strftime("%Y-%m-%d %H:%M")


class ProjectHeld(Exception):
    """The project is open elsewhere; ``owner`` says by whom."""

    def __init__(self, owner: LockOwner) -> None:
        super().__init__(owner)
        self.owner = owner


def lock_path(project: Path) -> Path:
    return project.with_name(project.name + LOCK_SUFFIX)


class ProjectLock:
    """Held from ``acquire`` to ``release``: the project is ours to write."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path, self._fd = path, fd

    @classmethod
    def acquire(cls, project: Path) -> ProjectLock:
        """Take the project, or raise ProjectHeld naming the window that has it."""
        path = lock_path(Path(project))
        for _ in range(10):  # another process may swap the file under us: try again
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                locked = _try_lock(fd)
            except BaseException:
                os.close(fd)
                raise
            if locked is False:
                owner = _read_owner(fd)
                os.close(fd)
                raise ProjectHeld(owner or LockOwner("someone", "another computer", 0, ""))
            if locked is None:  # no OS locks here: trust the file, unless it is stale
                owner = _read_owner(fd)
                if owner is not None and not _is_stale(owner):
                    os.close(fd)
                    raise ProjectHeld(owner)
            if _same_file(fd, path):
                _write_owner(fd, LockOwner.me())
                return cls(path, fd)
            os.close(fd)  # the owner deleted it as we opened it: start again
        raise OSError(errno.EAGAIN, "the lock file keeps changing", str(path))

    def release(self) -> None:
        if self._fd < 0:
            return
        if sys.platform == "win32":  # an open file cannot be deleted there
            os.close(self._fd)
            with contextlib.suppress(OSError):
                self.path.unlink()
        else:  # delete while still holding it, so no one locks a file that is going away
            with contextlib.suppress(OSError):
                self.path.unlink()
            os.close(self._fd)
        self._fd = -1


def read_owner(project: Path) -> LockOwner | None:
    """The owner written in the project's lock file, if there is one (held or not)."""
    try:
        fd = os.open(lock_path(Path(project)), os.O_RDONLY)
    except OSError:
        return None
    try:
        return _read_owner(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool | None:
    """True: locked. False: someone else holds it. None: this file system has no locks."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in _HELD or sys.platform == "win32":
            return False
        return None  # ENOLCK, EOPNOTSUPP, ENOSYS: a file system without locks


def _read_owner(fd: int) -> LockOwner | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096).decode("utf-8"))
        return LockOwner(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_owner(fd: int, owner: LockOwner) -> None:
    data = json.dumps(
        {"application": "annotator", "user": owner.user, "host": owner.host, "pid": owner.pid,
         "since": owner.since}
    ).encode("utf-8")
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, data)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def _is_stale(owner: LockOwner) -> bool:
    """Only a process of this computer can be checked; another computer's lock is kept."""
    if owner.host != socket.gethostname() or sys.platform == "win32":
        return False
    if owner.pid == os.getpid():
        return False
    try:
        os.kill(owner.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it runs, as someone else
    return False


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"
