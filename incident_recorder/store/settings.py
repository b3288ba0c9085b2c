"""The school's settings: one row holding the JSON of SchoolSettings."""

from __future__ import annotations

import json

from incident_recorder.domain.errors import NotFound
from incident_recorder.domain.model import SchoolSettings
from incident_recorder.domain.serialise import canonical_json, from_plain
from incident_recorder.store.connection import Connection


class SqlSettingsRepository:
    def __init__(self, db: Connection) -> None:
        self._db = db

    def get(self) -> SchoolSettings:
        text = self._db.scalar("SELECT data_json FROM settings WHERE id = 1")
        if text is None:
            raise NotFound("The school's settings have not been saved yet.")
        return from_plain(SchoolSettings, json.loads(text))

    def save(self, settings: SchoolSettings) -> None:
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO settings (id, data_json) VALUES (1, ?) "
                "ON CONFLICT (id) DO UPDATE SET data_json = excluded.data_json",
                (canonical_json(settings),),
            )
