"""An older copy put back, on the command line in subprocesses, as school IT would meet
it: last week's incidents.db copied back beside today's keyring (and the reverse). Every
signed-in command refuses (exit 1) with the plain words, ``verify`` reports it (exit 1),
and ``accept-older-copy`` carries on, once. Everyone in the demo is fictional."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from tests.e2e.conftest import Run

NEW_PASSPHRASE = "harbour tulip seven"


def _seen(folder: Path) -> int:
    seen = json.loads((folder / "keyring.json").read_text(encoding="utf-8")).get("seen")
    assert seen is not None, "the keyring remembers the audit chain's newest entry"
    return int(seen["seq"])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_older_database_is_refused_named_and_accepted_once(
    cli: Run, demo: Path, tmp_path: Path
) -> None:
    assert cli("list", "--data-dir", demo).code == 0
    aside = tmp_path / "last-week.db"
    shutil.copy2(demo / "incidents.db", aside)
    for _ in range(2):
        assert cli("list", "--data-dir", demo).code == 0
    made = cli("backup", "--data-dir", demo)
    assert made.code == 0, made.err
    backup_name = Path(re.search(r"Backup made: (\S+)", made.out).group(1)).name  # type: ignore[union-attr]
    seen = _seen(demo)
    shutil.copy2(aside, demo / "incidents.db")  # last week's copy put back
    before = _digest(demo / "incidents.db")

    verified = cli("verify", "--data-dir", demo)
    assert verified.code == 1, verified.out + verified.err
    stops = re.search(r"stops at entry (\d+), but this computer saw entry (\d+)", verified.out)
    assert stops is not None, verified.out
    head, saw = int(stops.group(1)), int(stops.group(2))
    assert saw == seen and head < seen
    assert f"so {seen - head} entries of the log" in verified.out
    assert backup_name in verified.out  # the newest backup that holds them

    listed = cli("list", "--data-dir", demo)
    assert listed.code == 1, listed.out + listed.err
    assert listed.out == ""  # not one record of the older copy shown
    assert f"so {seen - head} entries of the log" in listed.err
    assert "accept-older-copy" in listed.err
    assert _digest(demo / "incidents.db") == before  # verify and the refusal wrote nothing

    accepted = cli("accept-older-copy", "--data-dir", demo)
    assert accepted.code == 0, accepted.err
    assert "recorded in the audit log" in accepted.out
    again = cli("list", "--data-dir", demo)
    assert again.code == 0, again.err
    assert cli("verify", "--data-dir", demo).code == 0
    nothing = cli("accept-older-copy", "--data-dir", demo)
    assert nothing.code == 0 and nothing.out.startswith("Nothing to accept")


def test_an_older_keyring_is_refused_and_named(cli: Run, demo: Path, tmp_path: Path) -> None:
    aside = tmp_path / "keyring-before.json"
    shutil.copy2(demo / "keyring.json", aside)
    added = cli(
        "user",
        "add",
        "x.young",
        "--full-name",
        "Xavier Young",
        "--data-dir",
        demo,
        INCIDENT_RECORDER_NEW_PASSPHRASE=NEW_PASSPHRASE,
    )
    assert added.code == 0, added.err
    shutil.copy2(aside, demo / "keyring.json")

    listed = cli("pupils", "list", "--data-dir", demo)
    assert listed.code == 1, listed.out + listed.err
    assert listed.out == ""
    assert "The keyring file (keyring.json) in the data folder is an older copy" in listed.err
    verified = cli("verify", "--data-dir", demo)
    assert verified.code == 1
    assert "keyring.json" in verified.out and "older copy" in verified.out


def test_restoring_a_backup_then_signing_in_has_no_alarm(cli: Run, demo: Path) -> None:
    made = cli("backup", "--data-dir", demo)
    first = Path(re.search(r"Backup made: (\S+)", made.out).group(1))  # type: ignore[union-attr]
    assert cli("list", "--data-dir", demo).code == 0  # the keyring sees further than the backup
    hint = json.loads((demo / "keyring.json").read_text(encoding="utf-8"))["demo"]
    restored = cli(
        "restore",
        "--data-dir",
        demo,
        str(first),
        "--user",
        hint["username"],
        passphrase=hint["passphrase"],
    )
    assert restored.code == 0, restored.err
    listed = cli("list", "--data-dir", demo)
    assert listed.code == 0, listed.err
    assert cli("verify", "--data-dir", demo).code == 0
