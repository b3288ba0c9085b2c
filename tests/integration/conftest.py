"""Fixtures for the storage tests: real encrypted files in a temporary data folder.

Every person here is fictional. The key-derivation cost is cut to the minimum so the
tests stay fast; production uses ``KdfParams()``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import sqlcipher3

from incident_recorder.domain.model import (
    Incident,
    IncidentDetails,
    Injuries,
    Intervention,
    NewPupil,
    Pupil,
    Role,
    SchoolDetails,
    SchoolSettings,
    StaffInvolvement,
    StaffMember,
    StaffPart,
    User,
    WhatHappened,
    WhenWhere,
    Who,
)
from incident_recorder.domain.serialise import details_to_json
from incident_recorder.services.ports import KdfParams
from incident_recorder.store._values import sha256_text
from incident_recorder.store.database import DATABASE_NAME, SqlStore, SqlStoreFactory
from incident_recorder.store.vault import FileKeyVault

CHEAP_KDF = KdfParams(time_cost=1, memory_kib=8192)
TEMPLATE_KEY = bytes(range(32))  # the template database's key (tests only)


def utc(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# ------------------------------------------------------------------ folders and keys


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def vault(data_dir: Path) -> FileKeyVault:
    return FileKeyVault(data_dir, CHEAP_KDF)


@pytest.fixture
def data_key() -> bytes:
    return TEMPLATE_KEY


@pytest.fixture
def factory(data_dir: Path) -> SqlStoreFactory:
    return SqlStoreFactory(data_dir)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the latest schema, made once and copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    SqlStoreFactory(folder).create(TEMPLATE_KEY).close()
    return folder / DATABASE_NAME


@pytest.fixture
def store(data_dir: Path, template_db: Path, data_key: bytes) -> Iterator[SqlStore]:
    shutil.copyfile(template_db, data_dir / DATABASE_NAME)
    opened = SqlStoreFactory(data_dir).open(data_key)
    yield opened
    opened.close()


@pytest.fixture
def raw_sql(data_dir: Path, data_key: bytes) -> Iterator[Callable[[str], list[tuple[object, ...]]]]:
    """Run SQL on the database file directly with sqlcipher3, as someone tampering would."""
    conn = sqlcipher3.connect(str(data_dir / DATABASE_NAME), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")

    def run(sql: str) -> list[tuple[object, ...]]:
        return [tuple(row) for row in conn.execute(sql).fetchall()]

    yield run
    conn.close()


@pytest.fixture
def folder_snapshot() -> Callable[[Path], dict[str, bytes]]:
    def snapshot(folder: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    return snapshot


# ------------------------------------------------------------------ fictional people


@dataclass
class School:
    """A small fictional school in the store."""

    store: SqlStore
    admin: User
    teacher: User  # Staff role only
    senco: User
    teacher_staff: StaffMember
    assistant: StaffMember  # no account
    pupils: list[Pupil] = field(default_factory=list)

    def details(
        self,
        pupil: Pupil | None = None,
        day: date | None = date(2026, 3, 2),
        start: time | None = time(10, 15),
        location: str = "Dining hall",
        account: str = "A fictional account of what happened.",
        staff: tuple[StaffMember, ...] = (),
        injury: bool = False,
        floor: bool = False,
    ) -> IncidentDetails:
        return IncidentDetails(
            when_where=WhenWhere(day, start, None, location),
            who=Who(
                None if pupil is None else pupil.id,
                tuple(StaffInvolvement(s.id, StaffPart.ASSISTED) for s in staff),
            ),
            what_happened=WhatHappened(account=account),
            intervention=Intervention(floor_position=floor),
            injuries=Injuries(pupil_injured=injury),
        )

    def draft(self, author: User, details: IncidentDetails, now: datetime) -> Incident:
        with self.store.transaction():
            incident = self.store.incidents.create_draft(author.id, details, now)
            self.store.audit.append(author.id, "create", now, incident.id, "draft started")
        return incident

    def submit(self, author: User, details: IncidentDetails, now: datetime) -> Incident:
        """Start and submit a record, with the audit entries the services write."""
        incident = self.draft(author, details, now)
        with self.store.transaction():
            done = self.store.incidents.submit(incident.id, details, author.id, now)
            self.store.audit.append(
                author.id, "submit", now, done.id, done.reference or "", _sha(details)
            )
        return done

    def amend(
        self, user: User, incident: Incident, details: IncidentDetails, reason: str, now: datetime
    ) -> Incident:
        with self.store.transaction():
            done = self.store.incidents.amend(incident.id, details, user.id, reason, now)
            self.store.audit.append(
                user.id,
                "amend",
                now,
                done.id,
                f"{done.reference} version {done.version}",
                _sha(details),
            )
        return done


def _sha(details: IncidentDetails) -> str:
    return sha256_text(details_to_json(details))


@pytest.fixture
def school(store: SqlStore) -> School:
    with store.transaction():
        store.settings.save(
            SchoolSettings(
                school=SchoolDetails(name="Fictional Willow Academy", address="2 Imaginary Road"),
                locations=("Dining hall", "Playground"),
            )
        )
        head = store.staff.add("Hana Headperson", "Headteacher")
        teacher_staff = store.staff.add("Tomasz Teacherly", "Class teacher")
        senco_staff = store.staff.add("Sade Sencoe", "SENCO")
        assistant = store.staff.add("Aled Assistant", "Teaching assistant")
        admin = store.users.add(
            "h.headperson", head.full_name, frozenset({Role.ADMINISTRATOR}), head.id
        )
        teacher = store.users.add(
            "t.teacherly", teacher_staff.full_name, frozenset({Role.STAFF}), teacher_staff.id
        )
        senco = store.users.add(
            "s.sencoe", senco_staff.full_name, frozenset({Role.SENCO}), senco_staff.id
        )
        store.audit.append(admin.id, "set_up", utc(2026, 1, 1), detail="database created")
        pupils = [
            store.pupils.add(NewPupil("Zoë", "Fabricated", year_group="5", class_name="Ash")),
            store.pupils.add(
                NewPupil("Jonathan", "Madeup", preferred_name="Jonty", upn="A801200126001")
            ),
            store.pupils.add(NewPupil("Keira", "Notreal", year_group="2")),
        ]
    return School(store, admin, teacher, senco, teacher_staff, assistant, pupils)
