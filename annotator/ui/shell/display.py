"""Before Qt starts: is there a screen to show the window on, and which Qt chatter to drop.

Without a display Qt's xcb plugin aborts the process with a long message about platform
plugins that sends people to reinstall Qt. We say in one line what is missing instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

#: Platforms that draw without a windowing system (tests, screenshots, kiosks).
_HEADLESS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb")

#: Qt warnings that say nothing to a user: the offscreen plugin cannot pass size hints on.
_NOISE = ("This plugin does not support propagateSizeHints()",)


def missing_display(env: Mapping[str, str] | None = None, platform: str = sys.platform) -> str | None:
    """The one-line reason the app cannot open a window here, or None when it can."""
    env = os.environ if env is None else env
    if not platform.startswith("linux"):
        return None  # Windows and macOS always have their own window system
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0]
    if chosen in _HEADLESS or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset): run Annotator "
        "in a desktop session, or offscreen with QT_QPA_PLATFORM=offscreen (e.g. "
        "'annotator gui PROJECT --screenshot out.png')"
    )


def quiet_qt_noise() -> None:
    """Drop Qt's messages that mean nothing to a user; pass every other one on to stderr."""

    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg) or message in _NOISE:
            return
        sys.stderr.write(message + "\n")

    qInstallMessageHandler(handler)
