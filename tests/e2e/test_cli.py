"""The command line in subprocesses: what IT staff and scripts see."""

from __future__ import annotations

import copy
import json
import logging
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from incident_recorder.infra import logs
from incident_recorder.infra.lock import DataFolderLock
from incident_recorder.infra.paths import DataFolder
from tests.e2e.conftest import ADMIN_PASSPHRASE, REPO, Result, Run

RECOVERY = re.compile(r"Recovery code: ([2-9A-Z]{5}(-[2-9A-Z]{5}){5})")


def _one_plain_line(result: Result) -> str:
    assert result.code == 2, (result.out, result.err)
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def _init(cli: Run, folder: Path, full_name: str = "Siân Griffiths") -> Result:
    return cli(
        "init",
        "--data-dir",
        folder,
        "--school",
        "Larkspur Vale Community Primary",
        "--admin",
        "demo",
        "--full-name",
        full_name,
        "--address",
        "Orchard Rise, Brindlecombe",
        passphrase=ADMIN_PASSPHRASE,
    )


def test_version_starts_without_qt_or_reportlab(cli: Run) -> None:
    assert cli("--version").out.strip() == "incident-recorder 0.1.0"
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, incident_recorder.cli; "
            "print(sorted(m for m in ('PySide6', 'reportlab', 'sqlcipher3') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    assert probe.stdout.strip() == "[]"


def test_init_prints_the_recovery_code_once_with_a_warning(cli: Run, tmp_path: Path) -> None:
    result = _init(cli, tmp_path / "school")
    assert result.code == 0, result.err
    assert len(RECOVERY.findall(result.out)) == 1
    assert "cannot be recovered" in result.out
    assert (tmp_path / "school" / "incidents.db").is_file()
    again = _init(cli, tmp_path / "school")
    assert "already holds" in _one_plain_line(again)


def test_init_refuses_a_short_passphrase(cli: Run, tmp_path: Path) -> None:
    result = cli(
        "init", "--data-dir", tmp_path, "--school", "X", "--admin", "demo", passphrase="short"
    )
    assert "12 characters" in _one_plain_line(result)
    assert not (tmp_path / "incidents.db").exists()


def test_demo_builds_a_fictional_school_and_prints_the_sign_in(
    built_demo: tuple[Path, Result], cli: Run
) -> None:
    folder, result = built_demo
    assert "300 fictional pupils and 200 incident records" in result.out
    assert "username demo" in result.out and "passphrase " in result.out
    again = cli("demo", "--no-gui", "--data-dir", folder)
    assert again.code == 0
    assert "Opened the demo" in again.out and "username demo" in again.out


def test_list_shows_the_demo_records_one_a_line(built_demo: tuple[Path, Result], cli: Run) -> None:
    folder, _ = built_demo
    result = cli("list", "--data-dir", folder)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert 190 <= len(lines) < 200  # 200 records, a few still drafts
    line = re.compile(r"^\d{4}-\d{4} +\d\d/\d\d/\d{4} \d\d:\d\d  \S")
    assert all(line.match(x) for x in lines), lines[:3]
    assert any("injury" in x for x in lines) and any("amended" in x for x in lines)
    records = json.loads(cli("list", "--json", "--data-dir", folder).out)
    assert len(records) == len(lines)
    assert {r["reference"] for r in records} == {x.split()[0] for x in lines}
    assert all(r["versions"][0]["details"]["who"]["pupil_id"] for r in records)


def test_verify_passes_on_the_demo(built_demo: tuple[Path, Result], cli: Run) -> None:
    result = cli("verify", "--data-dir", built_demo[0])
    assert result.code == 0, result.out + result.err
    assert re.fullmatch(
        r"OK: database intact, audit chain of (\d+) entries verified \(head #\1 [0-9a-f]{8}\)\n",
        result.out,
    )


def test_verify_names_what_was_tampered_with(demo: Path, cli: Run) -> None:
    from incident_recorder.services.demo import DEMO_PASSPHRASE
    from incident_recorder.store import FileKeyVault
    from incident_recorder.store.connection import Connection

    key = FileKeyVault(demo).unlock("demo", DEMO_PASSPHRASE)
    db = Connection.open(DataFolder(demo).database, key)
    try:  # as someone with the key and a SQL tool might
        db.execute("DROP TRIGGER audit_no_update")
        db.execute("UPDATE audit SET detail = 'nothing to see' WHERE seq = 12")
        db.execute("DROP TRIGGER incident_versions_no_update")
        reference = db.scalar("SELECT reference FROM incidents WHERE id = 3")
        db.execute(
            "UPDATE incident_versions SET details_json = replace(details_json, "
            '\'"location":\', \'"location":"Field","x":\') WHERE incident_id = 3'
        )
    finally:
        db.close()
    result = cli("verify", "--data-dir", demo)
    assert result.code == 1, result.out + result.err
    assert "Audit entry 12 has been changed" in result.out
    assert f"Record {reference} version 1 has been changed" in result.out
    assert "Traceback" not in result.err


def test_wrong_passphrase_exits_2_with_one_line(demo: Path, cli: Run) -> None:
    before = (demo / "incidents.db").read_bytes()
    result = cli("list", "--data-dir", demo, "--user", "demo", passphrase="not the passphrase")
    assert "do not match" in _one_plain_line(result)
    assert (demo / "incidents.db").read_bytes() == before


def test_a_missing_database_exits_2_and_creates_nothing(cli: Run, tmp_path: Path) -> None:
    folder = tmp_path / "nowhere"
    result = cli("list", "--data-dir", folder, "--user", "demo", passphrase=ADMIN_PASSPHRASE)
    assert "no Incident Recorder database" in _one_plain_line(result)
    assert not folder.exists()


def test_bad_arguments_exit_2(cli: Run) -> None:
    result = cli("list", "--colour")
    assert result.code == 2 and "unrecognized arguments" in result.err


def test_export_import_round_trip_is_lossless(demo: Path, cli: Run, tmp_path: Path) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    exported = cli("export", "--json", first, "--drafts", "--data-dir", demo)
    assert exported.code == 0, exported.err
    assert "NOT encrypted" in exported.out
    document = json.loads(first.read_text(encoding="utf-8"))
    head = next(u for u in document["users"] if u["username"] == "demo")
    target = tmp_path / "new"
    assert _init(cli, target, head["full_name"]).code == 0
    signed_in = ("--data-dir", target, "--user", "demo")
    imported = cli("import", "--json", first, *signed_in, passphrase=ADMIN_PASSPHRASE)
    assert imported.code == 0, imported.err
    again = cli("export", "--json", second, "--drafts", *signed_in, passphrase=ADMIN_PASSPHRASE)
    assert again.code == 0, again.err
    copied = json.loads(second.read_text(encoding="utf-8"))
    assert copied["exported_at"] != document["exported_at"]
    assert len(copied["incidents"]) == len(document["incidents"]) > 190
    # The demo's behaviour support plans came across, every version, and the records
    # still name the version that was in force.
    assert len(copied["plans"]) == len(document["plans"]) >= 4
    assert any(
        v["details"]["who"]["plan_version"] == 2 for r in copied["incidents"] for v in r["versions"]
    )
    assert _comparable(copied, head["staff_id"]) == _comparable(document, head["staff_id"])
    assert cli("verify", *signed_in, passphrase=ADMIN_PASSPHRASE).code == 0


def _comparable(document: dict[str, Any], head_staff: int) -> dict[str, Any]:
    """Without the fields that must differ (docs/data-format.md): the export time, the
    school's name, and what the new database's own first administrator already had."""
    doc = copy.deepcopy(document)
    del doc["exported_at"], doc["school"]
    for user in doc["users"]:
        if user["username"] == "demo":
            del user["roles"]
    for member in doc["staff"]:
        if member["id"] == head_staff:
            del member["job_title"]
    return doc


def test_export_refuses_to_overwrite_and_is_private(demo: Path, cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "records.json"
    target.write_text("keep me", encoding="utf-8")
    result = cli("export", "--json", target, "--data-dir", demo)
    assert "already exists" in _one_plain_line(result)
    assert target.read_text(encoding="utf-8") == "keep me"
    fresh = tmp_path / "fresh.json"
    assert cli("export", "--json", fresh, "--data-dir", demo).code == 0
    if sys.platform != "win32":
        assert fresh.stat().st_mode & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_bad_import_file_exits_2_and_changes_nothing(
    demo: Path, cli: Run, tmp_path: Path
) -> None:
    before = {p.name: p.read_bytes() for p in demo.iterdir() if p.name.startswith("incidents.db")}
    bad = tmp_path / "bad.json"
    for text, message in (
        ('{"format": "incident-recorder-export", "version": 1, "pupils": [', "not valid JSON"),
        ('{"format": "spreadsheet"}', "not an Incident Recorder export"),
        ('{"format": "incident-recorder-export", "version": 7}', "newer version"),
    ):
        bad.write_text(text, encoding="utf-8")
        result = cli("import", "--json", bad, "--data-dir", demo)
        assert message in _one_plain_line(result)
    after = {p.name: p.read_bytes() for p in demo.iterdir() if p.name.startswith("incidents.db")}
    assert after == before


def test_importing_records_already_there_names_the_reference(
    demo: Path, cli: Run, tmp_path: Path
) -> None:
    file = tmp_path / "records.json"
    assert cli("export", "--json", file, "--data-dir", demo).code == 0
    first = json.loads(file.read_text(encoding="utf-8"))["incidents"][0]["reference"]
    result = cli("import", "--json", file, "--data-dir", demo)
    assert f"Record {first}" in _one_plain_line(result)
    assert len(cli("list", "--data-dir", demo).out.splitlines()) == len(
        json.loads(file.read_text(encoding="utf-8"))["incidents"]
    )


def test_a_second_copy_is_refused_while_the_folder_is_in_use(demo: Path, cli: Run) -> None:
    lock = DataFolderLock(DataFolder(demo).lock_file)
    lock.acquire()
    try:
        result = cli("list", "--data-dir", demo)
    finally:
        lock.release()
    line = _one_plain_line(result)
    assert "already open" in line and "opened by" in line
    assert cli("list", "--data-dir", demo).code == 0


def test_user_add_creates_an_account_that_can_sign_in(demo: Path, cli: Run) -> None:
    added = cli(
        "user", "add", "t.nowak", "--full-name", "Tomasz Nowak", "--role", "staff",
        "--data-dir", demo, INCIDENT_RECORDER_NEW_PASSPHRASE="harbour tulip seven",
    )  # fmt: skip
    assert added.code == 0, added.err
    assert "Added t.nowak (Tomasz Nowak): Staff." in added.out
    listed = cli("list", "--data-dir", demo, "--user", "t.nowak", passphrase="harbour tulip seven")
    assert listed.code == 0, listed.err
    assert "no submitted records that you can see" in listed.out  # only their own (none)
    assert "no submitted records yet" not in listed.out  # the demo school has many


def test_an_unexpected_error_is_one_kind_line_and_a_log_entry(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In-process, so the fault can be planted: exit 3, no traceback, no names logged."""
    from incident_recorder import cli as command_line

    def broken(args: object) -> int:
        raise RuntimeError("Amara Okafor")  # a message that must never reach the log

    monkeypatch.setattr(command_line, "_cmd_verify", broken)
    monkeypatch.setenv("INCIDENT_RECORDER_FAST_KDF", "1")
    logs.configure(DataFolder(demo).log_file)
    try:
        from incident_recorder.launcher import cli_entry

        code = command_line.main(["verify", "--data-dir", str(demo)], cli_entry())
    finally:
        logger = logging.getLogger("incident_recorder")
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            handler.close()
    err = capsys.readouterr().err
    assert code == 3
    assert err.count("\n") == 1 and "Something went wrong" in err and "Traceback" not in err
    log = DataFolder(demo).log_file.read_text(encoding="utf-8")
    assert "uncaught RuntimeError" in log and "Amara" not in log


def test_opening_the_app_without_a_screen_says_so_plainly(cli: Run, tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux can lack a desktop session")
    done = cli("--data-dir", tmp_path / "d", QT_QPA_PLATFORM="", DISPLAY="", WAYLAND_DISPLAY="")
    assert done.code == 2
    assert "There is no screen to show the app on" in done.err
    assert "Traceback" not in done.err
