"""How backups are described on screen: when (dd/mm/yyyy, 24-hour; "today 14:05"),
how big, and the status bar's one line."""

from __future__ import annotations

from datetime import date, datetime

from incident_recorder.domain.backups import Generation
from incident_recorder.services.backups import BackupStatus
from incident_recorder.services.session import to_local


def moment_text(moment: datetime, zone: str, today: date | None = None) -> str:
    """``moment`` (UTC) as the school's wall-clock time: "today 14:05", "yesterday
    09:12" or "03/12/2026 09:12"."""
    local = to_local(moment, zone)
    if today is not None and local.date() == today:
        return f"today {local:%H:%M}"
    if today is not None and (today - local.date()).days == 1:
        return f"yesterday {local:%H:%M}"
    return f"{local:%d/%m/%Y %H:%M}"


def status_text(status: BackupStatus, zone: str, today: date) -> str:
    """The status bar's line: "Last backup today 14:05 · second copy 03/12/2026 09:12"
    (or "no second copy yet", or "no backup yet")."""
    newest: Generation | None = status.newest
    first = (
        "No backup yet"
        if newest is None
        else f"Last backup {moment_text(newest.made_at, zone, today)}"
    )
    second = status.newest_second
    if second is not None:
        copy = f"second copy {moment_text(second.made_at, zone, today)}"
        if status.second_folder and not status.second_reachable:
            copy += " (its folder cannot be reached now)"
    elif status.second_folder and not status.second_reachable:
        copy = "the second folder cannot be reached"
    else:
        copy = "no second copy yet"
    return f"{first} · {copy}"
