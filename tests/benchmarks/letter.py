"""The parent-letter figure: the one place issue 5 plugs the real letter in.

Until the letter exists (issue 5 builds ``incident_recorder/documents`` with reportlab),
:func:`letter_builder` returns None and the benchmark reports the row as "not built
yet (issue 5)", with its floor (a bare reportlab one-page document) still measured.

To plug the letter in, make :func:`letter_builder` return a function that builds the
parent letter for one submitted record and returns the PDF bytes, through the same
service the app's "Parent letter" action calls. It runs in a fresh process, so its
first call pays for importing reportlab lazily, as the first letter in a session does;
everything before the returned function is called (signing in, choosing the record)
is not timed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from incident_recorder.services.session import Session

NOT_BUILT = "not built yet (issue 5)"


def letter_builder(data_dir: str, username: str, passphrase: str) -> Callable[[], bytes] | None:
    """A function that builds one parent letter, or None while there is no letter."""
    return None
    # Issue 5, for example:
    # session = _sign_in(data_dir, username, passphrase)
    # record = IncidentService(session).search(IncidentQuery(limit=1)).rows[0]
    # letters = ParentLetterService(session)
    # return lambda: letters.letter_pdf(record.id)


def _sign_in(data_dir: str, username: str, passphrase: str) -> Session:
    """A session on the benchmark's database (untimed: only the letter is measured)."""
    from incident_recorder.app import build_accounts

    return build_accounts(Path(data_dir)).sign_in(username, passphrase)
