"""Nothing personal reaches the disk unencrypted: not the database, its WAL and shared
memory files, the keyring, nor the backups."""

from __future__ import annotations

from pathlib import Path

from incident_recorder.domain.model import IncidentQuery, NewPupil, SchoolDetails, SchoolSettings
from incident_recorder.store import FileKeyVault, SqlStoreFactory
from incident_recorder.store.backup import list_backups

from .conftest import School, utc

MARKER = "ZEBRA-PLAINTEXT-MARKER-7731"


def _encodings(text: str) -> list[bytes]:
    forms = {text, text.lower(), text.upper()}
    return [f.encode(codec) for f in forms for codec in ("utf-8", "utf-16-le", "utf-16-be")]


def _files_containing(folder: Path, text: str) -> list[str]:
    needles = _encodings(text)
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if any(needle in data for needle in needles):
                found.append(str(path.relative_to(folder)))
    return found


def test_the_marker_never_appears_in_any_file(
    school: School, data_dir: Path, vault: FileKeyVault
) -> None:
    store = school.store
    vault.create("marker.admin", "a fictional passphrase for this test")
    with store.transaction():
        pupil = store.pupils.add(NewPupil(MARKER, f"Surname {MARKER}", preferred_name=MARKER))
        store.staff.add(f"Staff {MARKER}")
        store.settings.save(SchoolSettings(SchoolDetails(f"School {MARKER}", MARKER)))
    draft = school.draft(
        school.teacher, school.details(pupil, account=f"Draft says {MARKER}"), utc(2026, 3, 1)
    )
    done = school.submit(
        school.teacher,
        school.details(pupil, location=f"Room {MARKER}", account=f"Submitted {MARKER}"),
        utc(2026, 3, 2),
    )
    school.amend(
        school.senco,
        done,
        school.details(pupil, account=f"Amended {MARKER}"),
        f"Reason {MARKER}",
        utc(2026, 3, 3),
    )
    store.incidents.save_draft(
        draft.id, school.details(pupil, account=f"Autosaved {MARKER}"), utc(2026, 3, 4)
    )
    assert store.incidents.search(IncidentQuery(text=MARKER.lower())).total == 1
    store.backup(label="marker-test")

    # While the database is open, the -wal and -shm files exist and hold recent pages.
    assert (data_dir / "incidents.db-wal").exists()
    assert _files_containing(data_dir, MARKER) == []

    store.close()
    # Migrating makes a backup too; reopen with a fresh factory to exercise the normal path.
    SqlStoreFactory(data_dir).open(bytes(range(32))).close()
    files = sorted(str(p.relative_to(data_dir)) for p in data_dir.rglob("*") if p.is_file())
    assert "keyring.json" in files and "incidents.db" in files
    assert len(list_backups(data_dir / "backups")) == 1
    assert _files_containing(data_dir, MARKER) == []


def test_the_marker_check_would_notice_plaintext(data_dir: Path) -> None:
    """The check itself works: an unencrypted benchmark database does show the marker."""
    plain = SqlStoreFactory(data_dir, plaintext_for_benchmark=True).create(b"")
    plain.pupils.add(NewPupil(MARKER, "Visible"))
    plain.close()
    assert _files_containing(data_dir, MARKER) == ["incidents-plaintext-benchmark.db"]
