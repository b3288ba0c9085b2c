"""How long a hold or a floor position lasted, in words.

Durations are kept in whole seconds: a floor position released at once can last 20
seconds, and "0 min" is not a true answer. Staff enter minutes and seconds; records,
letters and reviews print the words below.
"""

from __future__ import annotations

SECONDS_IN_A_MINUTE = 60


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def _parts(seconds: int) -> list[str]:
    """ "1 hour", "5 minutes", "20 seconds": the non-zero parts (seconds when all zero)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, SECONDS_IN_A_MINUTE)
    parts = []
    if hours:
        parts.append(_plural(hours, "hour"))
    if minutes:
        parts.append(_plural(minutes, "minute"))
    if secs or not parts:
        parts.append(_plural(secs, "second"))
    return parts


def duration_text(seconds: int | None) -> str:
    """ "20 seconds", "2 minutes", "1 minute 30 seconds", "1 hour 5 minutes";
    "" when unknown."""
    if seconds is None or seconds < 0:
        return ""
    return " ".join(_parts(seconds))


def about_duration(seconds: int | None) -> str:
    """As a letter says it: "about 20 seconds", "about 2 minutes", "about 1 minute
    and 30 seconds"; "" when unknown. Past ten minutes the seconds are rounded away,
    as nobody times a long hold to the second."""
    if seconds is None or seconds < 0:
        return ""
    if seconds >= 10 * SECONDS_IN_A_MINUTE:
        seconds = round(seconds / SECONDS_IN_A_MINUTE) * SECONDS_IN_A_MINUTE
    return "about " + " and ".join(_parts(seconds))


def from_minutes(minutes: int | None) -> int | None:
    """A duration kept in whole minutes by an earlier version of the app, in seconds."""
    return None if minutes is None else minutes * SECONDS_IN_A_MINUTE


def short_duration(seconds: int | None) -> str:
    """For a narrow column: "20 s", "4 min", "4 min 20 s", "1 h 5 min"; "" when unknown."""
    if seconds is None or seconds < 0:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, SECONDS_IN_A_MINUTE)
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    if secs and not hours:
        parts.append(f"{secs} s")
    return " ".join(parts) or ("0 s" if not hours else parts[0])
