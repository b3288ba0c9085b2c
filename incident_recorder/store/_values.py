"""How values are written to and read from columns (shared by the repositories)."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, date, datetime, time

LIKE_ESCAPE = "\\"


def utc_text(moment: datetime) -> str:
    """An aware datetime as fixed-width UTC ISO text, e.g. 2026-11-23T10:35:00.000000+00:00."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("times given to the store must be timezone-aware (UTC)")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def utc_from_text(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def optional_utc_from_text(text: str | None) -> datetime | None:
    return None if text is None else utc_from_text(text)


def date_text(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def date_from_text(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def time_text(clock: time | None) -> str | None:
    return None if clock is None else clock.strftime("%H:%M")


def time_from_text(text: str | None) -> time | None:
    return None if text is None else time.fromisoformat(text)


def fold(text: str) -> str:
    """Lower case without accents, so 'zoe' finds 'Zoë' and 'ÉLODIE' finds 'Élodie'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def search_words(text: str) -> list[str]:
    """The folded words of a search box, each to be matched anywhere."""
    return fold(text).split()


def contains_pattern(word: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') matching ``word`` anywhere."""
    escaped = (
        word.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
