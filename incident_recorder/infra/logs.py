"""Logging that never writes personal data.

The code logs ids and references only. As a second line of defence a filter
replaces any text argument that is not an id, a reference or a known keyword
with "[redacted]", and tracebacks are written without local variables.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
from pathlib import Path
from types import TracebackType

# References, hashes, versions, exception type names, snake_case identifiers (action
# names) and the app's own file names. A lower-case single word is NOT safe (it could be
# a surname): only the words listed below pass.
_SAFE_TEXT = re.compile(
    r"^(\d{4}-\d{4}|[0-9a-f]{8,64}|v?\d+(\.\d+)*|[A-Z][A-Za-z]+(Error|Exception)"
    r"|[a-z]+(_[a-z]+)+|incidents[\w.-]*\.db)$"
)
_SAFE_WORDS = frozenset(
    {
        "wal",
        "delete",
        "memory",
        "truncate",
        "persist",
        "off",
        "file",
        "default",
        "draft",
        "submitted",
        "create",
        "view",
        "submit",
        "amend",
    }
)


def _safe(value: object) -> object:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str) and (value in _SAFE_WORDS or _SAFE_TEXT.match(value)):
        return value
    return "[redacted]"


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            record.args = {k: _safe(v) for k, v in record.args.items()}
        elif record.args:
            record.args = tuple(_safe(a) for a in record.args)
        return True


def configure(log_file: Path | None, level: int = logging.INFO) -> str | None:
    """Send the log to ``log_file`` (or standard error for None). The log is never the
    reason the app cannot open: when the file cannot be opened (a read-only folder, the
    disk full) warnings go to standard error instead, and the reason is returned in plain
    words for one line to the person; None when the log is where it was asked to be."""
    root = logging.getLogger("incident_recorder")
    root.setLevel(level)
    for old in list(root.handlers):
        root.removeHandler(old)
        old.close()
    reason: str | None = None
    handler: logging.Handler
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handler = _file_handler(log_file)
        except OSError as error:
            reason = _why(error)
            handler = logging.StreamHandler(sys.stderr)
            handler.setLevel(logging.WARNING)
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.propagate = False
    return reason


def _file_handler(log_file: Path) -> logging.Handler:
    from logging.handlers import RotatingFileHandler  # socket, pickle…: only when used

    class QuietFileHandler(RotatingFileHandler):
        """A log file that cannot be written to just now (the disk is full) drops the
        record quietly, instead of printing logging's own traceback to the person."""

        def handleError(self, record: logging.LogRecord) -> None:
            return

        def flush(self) -> None:
            with contextlib.suppress(OSError):
                super().flush()

        def close(self) -> None:
            with contextlib.suppress(OSError):
                super().close()

    return QuietFileHandler(log_file, maxBytes=1_000_000, backupCount=2, encoding="utf-8")


def _why(error: OSError) -> str:
    import errno

    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "the folder can only be read"
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    return error.strerror or type(error).__name__


def no_log_file_line(log_file: Path, reason: str) -> str:
    """The one plain line said when the log file could not be opened."""
    return (
        f"Note: the log file {log_file} could not be opened ({reason}), so this time "
        "nothing is logged to it."
    )


def log_uncaught(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """Record where a crash happened: the exception type and code locations, never the
    message or variables (they can hold names)."""
    import traceback

    frames = traceback.extract_tb(tb)
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    # Code locations and the type's name hold no personal data: they go into the message
    # itself, which the redacting filter leaves alone (it redacts arguments).
    text = f"uncaught {exc_type.__name__} at {where}".replace("%", "%%")
    logging.getLogger("incident_recorder").error(text)
