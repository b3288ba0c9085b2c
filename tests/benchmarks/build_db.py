"""The benchmark's synthetic database: built once, cached, copied for each run.

A large multi-academy trust over ten years: 20,000 fictional pupils and 100,000
submitted incidents from the package's seeded generator
(:mod:`incident_recorder.domain.generator`), with their amendments, the drafts still open
and an audit log (sign-ins, records started, submitted, amended and viewed).

The school is set up through ``AccountService.set_up`` with the production key
derivation (``KdfParams()``), so unlocking it costs what it costs a school. People are
added through the store's repositories. The records go in as bulk inserts on the
store's own connection inside one transaction, with the store's own helpers for the
list columns, references, fingerprints and the audit chain: going record by record
through the repositories would take several minutes. The quick size checks the result
with the store's own ``audit.verify()`` and integrity checks, so the bulk path cannot
drift from what the app writes.

Run alone: ``python -m tests.benchmarks.build_db [--quick] [--rebuild]``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import logging
import random
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from incident_recorder.domain.generator import GeneratedSchool, generate_school
from incident_recorder.domain.model import Role
from incident_recorder.services.accounts import AccountService, SetupRequest
from incident_recorder.services.ports import KdfParams
from incident_recorder.services.session import from_local
from incident_recorder.store.database import PLAINTEXT_DATABASE_NAME, SqlStore, SqlStoreFactory
from incident_recorder.store.migrate import MigrationSet
from incident_recorder.store.vault import FileKeyVault
from tests.benchmarks import bulk

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
FORMAT = 3  # bump when the way the database is built changes
ZONE = "Europe/London"
# Ten school years, ending on the last day of the summer term.
PERIOD = (date(2016, 9, 1), date(2026, 7, 17))
# The moment the benchmark's sessions take as "now": the afternoon of the last day.
NOW = datetime(2026, 7, 17, 14, 30, tzinfo=UTC)
# A synthetic database of fictional people: this passphrase protects nothing real.
PASSPHRASE = "benchmark orchard lantern 2016"
DRAFTS_KEPT = 40  # unfinished records a school might have open at once


@dataclass(frozen=True, slots=True)
class Size:
    name: str
    pupils: int
    incidents: int  # submitted records
    seed: int = 2016


FULL = Size("full", 20_000, 100_000)
QUICK = Size("quick", 300, 1_000)


@dataclass(frozen=True, slots=True)
class Built:
    """What the benchmark needs to know about a built database."""

    folder: Path  # incidents.db and keyring.json
    plain_folder: Path  # the same records, unencrypted (benchmark-only switch)
    size: Size
    username: str  # safeguarding lead and administrator: sees every record
    staff_username: str  # a Staff account: sees only their own records
    passphrase: str
    manifest: dict[str, Any]

    def stores(self, plaintext: bool = False) -> SqlStoreFactory:
        if plaintext:
            return SqlStoreFactory(self.plain_folder, plaintext_for_benchmark=True)
        return SqlStoreFactory(self.folder)


# --------------------------------------------------------------------------- the cache


def _fingerprint(size: Size) -> str:
    """Changes whenever the database would come out differently."""
    import incident_recorder.domain.generator as generator
    import incident_recorder.domain.generator_text as generator_text

    digest = hashlib.sha256(f"{FORMAT} {asdict(size)} {PERIOD}".encode())
    for module in (generator, generator_text, bulk):
        digest.update(Path(str(module.__file__)).read_bytes())
    for migration in MigrationSet.bundled():
        digest.update(migration.sql.encode())
    return digest.hexdigest()


def _home(size: Size) -> Path:
    return CACHE / size.name


def cached(size: Size) -> Built | None:
    home = _home(size)
    try:
        manifest = json.loads((home / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("fingerprint") != _fingerprint(size):
        return None
    built = _built(home, size, manifest)
    if not (built.folder / "incidents.db").is_file() or not built.stores(True).exists():
        return None
    return built


def _built(home: Path, size: Size, manifest: dict[str, Any]) -> Built:
    return Built(
        folder=home / "pristine",
        plain_folder=home / "pristine-plain",
        size=size,
        username=manifest["username"],
        staff_username=manifest["staff_username"],
        passphrase=PASSPHRASE,
        manifest=manifest,
    )


def ensure(size: Size, rebuild: bool = False, log: Any = print) -> Built:
    """The cached database of ``size``, built first if missing, stale or asked for. The
    build runs in a child process, so its millions of objects never slow the figures."""
    if not rebuild:
        found = cached(size)
        if found is not None:
            return found
    argv = [sys.executable, "-m", "tests.benchmarks.build_db", "--size", size.name]
    log(
        f"Building the {size.name} benchmark database ({size.pupils:,} pupils, "
        f"{size.incidents:,} incidents); it is cached for later runs…"
    )
    import subprocess

    subprocess.run(argv, check=True, cwd=HERE.parent.parent)
    found = cached(size)
    if found is None:
        raise RuntimeError("the benchmark database was built but cannot be found")
    return found


@contextlib.contextmanager
def working_copy(built: Built) -> Iterator[Built]:
    """A throwaway copy of the cached database (the figures sign in, submit and insert,
    and the cached one must stay as built)."""
    home = _home(built.size)
    work = home / "work"
    for name in ("work", "work-plain"):
        shutil.rmtree(home / name, ignore_errors=True)
    shutil.copytree(built.folder, work)
    shutil.copytree(built.plain_folder, home / "work-plain")
    try:
        yield Built(
            work,
            home / "work-plain",
            built.size,
            built.username,
            built.staff_username,
            built.passphrase,
            built.manifest,
        )
    finally:
        for name in ("work", "work-plain"):
            shutil.rmtree(home / name, ignore_errors=True)


# --------------------------------------------------------------------------- building


class _FixedClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


def generate(size: Size) -> GeneratedSchool:
    """The generator's school with at least ``size.incidents`` submitted records."""
    start, end = PERIOD
    # The generator leaves the records of its last 1/60th of events as drafts (some
    # events hold two records), so ask for a little more than is needed.
    asked = size.incidents + size.incidents // 50 + 20
    for _ in range(5):
        school = generate_school(size.seed, size.pupils, asked, start, end)
        submitted = sum(not r.is_draft for r in school.incidents)
        if submitted >= size.incidents:
            return school
        asked += size.incidents - submitted + 20
    raise RuntimeError(f"the generator gave {submitted} submitted records, too few")


def build(size: Size, log: Any = print) -> Built:
    gc.disable()  # millions of small objects: the collector's passes would cost seconds
    started = time.perf_counter()
    home = _home(size)
    shutil.rmtree(home, ignore_errors=True)
    folder, plain_folder = home / "pristine", home / "pristine-plain"
    folder.mkdir(parents=True)
    plain_folder.mkdir()

    school = generate(size)
    log(f"  generated in {time.perf_counter() - started:.1f} s")
    head, staff_user = school.users[0], school.users[3]
    accounts = AccountService(
        FileKeyVault(folder),
        SqlStoreFactory(folder),
        _FixedClock(
            from_local(datetime.combine(PERIOD[0] - timedelta(days=3), datetime.min.time()), ZONE)
        ),
    )
    result = accounts.set_up(
        SetupRequest(
            school=school.school,
            admin_full_name=head.full_name,
            admin_username=head.username,
            passphrase=PASSPHRASE,
            admin_job_title=school.staff[0].job_title,
            extra_roles=head.roles - {Role.ADMINISTRATOR},
        )
    )
    session = result.session
    try:
        store = session.store
        assert isinstance(store, SqlStore)
        counts = bulk.fill(
            store,
            school,
            session.user.id,
            session.user.staff_id,
            size.incidents,
            DRAFTS_KEPT,
            ZONE,
            random.Random(size.seed),
            log,
        )
        FileKeyVault(folder, KdfParams()).add_user(
            bytes(session.data_key), staff_user.username, PASSPHRASE
        )
        log(f"  filled in {time.perf_counter() - started:.1f} s")
        if size is QUICK:
            _verify(store, counts)
            log("  checked: the audit chain, the record fingerprints and the file are sound")
        _export_plaintext(store, plain_folder / PLAINTEXT_DATABASE_NAME)
    finally:
        session.close()
    del school
    manifest = {
        "fingerprint": _fingerprint(size),
        "size": asdict(size),
        "period": [d.isoformat() for d in PERIOD],
        "username": head.username,
        "staff_username": staff_user.username,
        "counts": counts,
        "database_bytes": (folder / "incidents.db").stat().st_size,
        "build_seconds": round(time.perf_counter() - started, 1),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (home / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    megabytes = (folder / "incidents.db").stat().st_size / 1e6
    log(f"  built in {manifest['build_seconds']} s: {megabytes:,.0f} MB encrypted")
    return _built(home, size, manifest)


def _verify(store: SqlStore, counts: dict[str, int]) -> None:
    problems = store.audit.verify() + store.integrity_problems()
    if problems:
        raise RuntimeError("the benchmark database is not sound: " + "; ".join(problems[:5]))
    db = store.connection
    found = int(db.scalar("SELECT count(*) FROM incidents WHERE status = 'submitted'"))
    if found != counts["submitted"]:
        raise RuntimeError(f"{found} submitted records, expected {counts['submitted']}")


def _export_plaintext(store: SqlStore, path: Path) -> None:
    """The same pages' contents, unencrypted, for the store-workload floor."""
    db = store.connection
    version = int(db.pragma("user_version"))
    db.execute("ATTACH DATABASE ? AS plaintext KEY ''", (str(path),))
    try:
        db.execute("SELECT sqlcipher_export('plaintext')")
        db.execute(f"PRAGMA plaintext.user_version = {version}")
    finally:
        db.execute("DETACH DATABASE plaintext")
    # Opening through the store sets WAL mode as the app has it.
    SqlStoreFactory(path.parent, plaintext_for_benchmark=True).open(b"").close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=("full", "quick"), default="full")
    parser.add_argument("--quick", action="store_true", help="same as --size quick")
    args = parser.parse_args(argv)
    size = QUICK if args.quick or args.size == "quick" else FULL
    # The store warns whenever the unencrypted comparison copy is opened: expected here.
    logging.getLogger("incident_recorder").setLevel(logging.ERROR)
    build(size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
