"""Sign-off of a submitted record by a safeguarding lead or senior leader.

A sign-off is kept for one version of the record, with that version's SHA-256, and is
never changed. When the record is amended after it was signed off, the sign-off still
stands for the version that was read, and the record needs signing off again.

Pure: no I/O, no Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from incident_recorder.domain.record_document import RecordSection

SIGN_OFF_HEADING = "Sign-off"
NOT_SIGNED_TEXT = "Not signed off yet."
SIGN_OFF_STATEMENT = (
    "By signing off you confirm you have read this record and the follow-up is in hand."
)
COMMENT_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class SignOff:
    """One version of one record, signed off. ``signed_at`` is UTC."""

    incident_id: int
    version: int
    version_sha256: str
    comment: str = ""
    id: int | None = None
    signed_at: datetime | None = None
    signed_by: int | None = None
    signed_by_name: str = ""


class SignOffStatus(Enum):
    NOT_SIGNED = "not_signed"
    SIGNED = "signed"  # the latest version is signed off
    AMENDED_SINCE = "amended_since"  # an older version was signed off, not the latest


@dataclass(frozen=True, slots=True)
class SignOffState:
    status: SignOffStatus
    latest: SignOff | None = None  # the newest sign-off (of any version)
    sentence: str = NOT_SIGNED_TEXT

    @property
    def signed(self) -> bool:
        return self.status is SignOffStatus.SIGNED


def _identity(moment: datetime) -> datetime:
    return moment


def signed_by_text(sign_off: SignOff, local: Callable[[datetime], datetime] = _identity) -> str:
    """ "Halima Ionescu on 20/11/2026 at 16:05": who and when, in local time."""
    who = sign_off.signed_by_name or "a former member of staff"
    if sign_off.signed_at is None:
        return who
    when = local(sign_off.signed_at)
    return f"{who} on {when:%d/%m/%Y} at {when:%H:%M}"


def sign_off_state(
    sign_offs: Iterable[SignOff],
    latest_version: int,
    local: Callable[[datetime], datetime] = _identity,
) -> SignOffState:
    """Whether the record's latest version is signed off, with a plain sentence.
    ``local`` turns a stored UTC time into the school's wall-clock time."""
    ordered = sorted(sign_offs, key=lambda s: (s.version, s.id or 0))
    if not ordered:
        return SignOffState(SignOffStatus.NOT_SIGNED)
    newest = ordered[-1]
    if newest.version >= latest_version:
        sentence = f"Signed off by {signed_by_text(newest, local)} (version {newest.version})."
        return SignOffState(SignOffStatus.SIGNED, newest, sentence)
    sentence = (
        f"Version {newest.version} was signed off by {signed_by_text(newest, local)}; "
        "the record has been amended since, so it needs signing off again."
    )
    return SignOffState(SignOffStatus.AMENDED_SINCE, newest, sentence)


def sign_off_section(
    sign_offs: Iterable[SignOff],
    for_parents: bool,
    local: Callable[[datetime], datetime] = _identity,
    latest_version: int | None = None,
) -> RecordSection:
    """The printed record's "Sign-off" section (see :func:`sign_off_rows`)."""
    rows = sign_off_rows(sign_offs, for_parents, local, latest_version)
    return RecordSection(SIGN_OFF_HEADING, rows)


def sign_off_rows(
    sign_offs: Iterable[SignOff],
    for_parents: bool,
    local: Callable[[datetime], datetime] = _identity,
    latest_version: int | None = None,
) -> tuple[tuple[str, str], ...]:
    """The printed record's rows, oldest first: (when, text). The full record gives the
    version, who and any comment, and says when the printed (latest) version was
    amended after the last sign-off; the parents' copy gives only who and when."""
    rows: list[tuple[str, str]] = []
    ordered = sorted(sign_offs, key=lambda s: (s.version, s.id or 0))
    for s in ordered:
        when = f"{local(s.signed_at):%d/%m/%Y %H:%M}" if s.signed_at else "Time not known"
        who = s.signed_by_name or "a former member of staff"
        if for_parents:
            rows.append((when, f"Signed off by {who}."))
            continue
        text = f"Version {s.version} signed off by {who}."
        if s.comment.strip():
            text += f" Comment: {s.comment.strip()}"
        rows.append((when, text))
    if not rows:
        rows.append(("", NOT_SIGNED_TEXT))
    elif not for_parents and latest_version is not None and ordered[-1].version < latest_version:
        rows.append(("", f"Version {latest_version}, printed here, is not signed off yet."))
    return tuple(rows)
