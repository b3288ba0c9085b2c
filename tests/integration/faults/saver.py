"""A small program for the fault tests: signs in to a real encrypted data folder and
saves records one by one through the real services, printing ``confirmed N`` once each
save has returned (the moment the app would tell the user it is saved).

``python -m tests.integration.faults.saver DATA_DIR FIRST LAST``: saves records FIRST to
LAST - 1, each a new draft whose account of what happened reads "Fault save N".
``python -m tests.integration.faults.saver --set-up DATA_DIR``: makes the data folder.
Every person here is fictional.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from incident_recorder.domain.model import IncidentDetails, NewPupil, Role, SchoolDetails
from incident_recorder.services.accounts import SetupRequest
from incident_recorder.services.ports import KdfParams
from incident_recorder.wiring import Composition
from tests.fakes import complete_details

USERNAME = "f.tester"
PASSPHRASE = "a long fictional passphrase for the fault tests"
CHEAP_KDF = KdfParams(time_cost=1, memory_kib=8192)
DAY = date(2026, 3, 2)


def marker(n: int) -> str:
    return f"Fault save {n}"


def details_for(n: int, pupil_id: int, staff_id: int) -> IncidentDetails:
    d = complete_details(pupil_id, staff_id, DAY)
    return replace(d, what_happened=replace(d.what_happened, account=marker(n)))


def set_up(data_dir: Path) -> None:
    composition = Composition(data_dir, CHEAP_KDF)
    result = composition.accounts.set_up(
        SetupRequest(
            school=SchoolDetails("Fictional Fault Primary", "1 Nowhere Lane"),
            admin_full_name="Fenella Tester",
            admin_username=USERNAME,
            passphrase=PASSPHRASE,
            extra_roles=frozenset({Role.STAFF}),
        )
    )
    services = composition.services(result.session)
    try:
        services.directory.quick_add_pupil(NewPupil("Rowan", "Imaginary", year_group="Year 5"))
    finally:
        services.close()


def save(data_dir: Path, first: int, last: int) -> None:
    composition = Composition(data_dir, CHEAP_KDF)
    services = composition.services(composition.accounts.sign_in(USERNAME, PASSPHRASE))
    try:
        pupil = services.pupils.search("")[0]
        staff_id = services.user.staff_id
        assert staff_id is not None
        print("ready", flush=True)
        for n in range(first, last):
            services.incidents.new_draft(details_for(n, pupil.id, staff_id))
            print(f"confirmed {n}", flush=True)
    finally:
        services.close()


if __name__ == "__main__":
    if sys.argv[1] == "--set-up":
        set_up(Path(sys.argv[2]))
    else:
        save(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
