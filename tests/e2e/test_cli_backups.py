"""``backup``, ``backups list``, ``backups check`` and ``restore`` in subprocesses, on a
copy of the fictional demo school: the restore drill school IT does each term."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.e2e.conftest import Run

BACKUP = re.compile(r"Backup made: (\S+)")


def _demo_sign_in(folder: Path) -> tuple[str, str]:
    import json

    hint = json.loads((folder / "keyring.json").read_text(encoding="utf-8"))["demo"]
    return hint["username"], hint["passphrase"]


def test_backup_list_check_and_the_restore_drill(cli: Run, demo: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    made = cli("backup", "--data-dir", demo, str(usb))
    assert made.code == 0, made.err
    first = Path(BACKUP.search(made.out).group(1))  # type: ignore[union-attr]
    assert (first / "incidents.db").is_file() and (first / "keyring.json").is_file()
    assert f"Copied to {usb}" in made.out
    assert re.search(r" 19\d records ", made.out)  # the demo's submitted records

    listed = cli("backups", "list", "--data-dir", demo, "--folder", str(usb))
    assert listed.code == 0, listed.err
    assert listed.out.count(first.name) == 2  # here and on the USB drive
    assert "made by hand" in listed.out and "2 backups." in listed.out

    checked = cli("backups", "check", "--data-dir", demo)
    assert checked.code == 0, checked.err
    assert checked.out.startswith("OK ") and "passed the checks" in checked.out

    # a second backup, then the first restored: the database is the first's again
    again = cli("backup", "--data-dir", demo)
    assert again.code == 0, again.err
    username, passphrase = _demo_sign_in(demo)
    restored = cli(
        "restore", "--data-dir", demo, str(first), "--user", username, passphrase=passphrase
    )
    assert restored.code == 0, restored.err
    assert re.search(r" 19\d records", restored.out) and "is kept in" in restored.out
    kept = list((demo / "replaced").iterdir())
    assert len(kept) == 1 and (kept[0] / "incidents.db").is_file()
    verified = cli("verify", "--data-dir", demo)
    assert verified.code == 0, verified.out + verified.err


def test_a_damaged_backup_is_reported_and_never_restored(
    cli: Run, demo: Path, tmp_path: Path
) -> None:
    made = cli("backup", "--data-dir", demo)
    first = Path(BACKUP.search(made.out).group(1))  # type: ignore[union-attr]
    database = first / "incidents.db"
    data = bytearray(database.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database.write_bytes(bytes(data))

    checked = cli("backups", "check", "--data-dir", demo)
    assert checked.code == 1
    assert "DAMAGED" in checked.out and "do not restore those" in checked.out

    username, passphrase = _demo_sign_in(demo)
    live = (demo / "incidents.db").read_bytes()
    refused = cli(
        "restore", "--data-dir", demo, str(first), "--user", username, passphrase=passphrase
    )
    assert refused.code == 1, refused.err
    assert "nothing was changed" in refused.out
    assert (demo / "incidents.db").read_bytes() == live
    assert not (demo / "replaced").exists()


def test_a_new_pc_restores_from_the_usb_drive_with_the_recovery_code(
    cli: Run, tmp_path: Path
) -> None:
    school, usb, new_pc = tmp_path / "school", tmp_path / "usb", tmp_path / "new-pc"
    usb.mkdir()
    passphrase = "quiet meadow lantern"
    init = cli(
        "init",
        "--data-dir",
        school,
        "--school",
        "Fictional Hazel Primary",
        "--admin",
        "h.bashir",
        "--address",
        "4 Imaginary Street",
        passphrase=passphrase,
    )
    code = re.search(r"Recovery code: (\S+)", init.out).group(1)  # type: ignore[union-attr]
    made = cli(
        "backup", "--data-dir", school, "--user", "h.bashir", str(usb), passphrase=passphrase
    )
    assert made.code == 0, made.err
    shutil.rmtree(school)  # the old PC is gone

    on_usb = next(p for p in usb.iterdir() if p.is_dir())
    wrong = cli(
        "restore",
        "--data-dir",
        new_pc,
        str(on_usb),
        "--recovery-code",
        INCIDENT_RECORDER_RECOVERY_CODE="2BC6-395D-943B-14FF-4445-805C",
    )
    assert wrong.code == 2 and "do not open this backup" in wrong.err
    restored = cli(
        "restore",
        "--data-dir",
        new_pc,
        str(on_usb),
        "--recovery-code",
        INCIDENT_RECORDER_RECOVERY_CODE=code,
    )
    assert restored.code == 0, restored.err
    assert "keyring was put back" in restored.out
    signed = cli("verify", "--data-dir", new_pc, "--user", "h.bashir", passphrase=passphrase)
    assert signed.code == 0, signed.out + signed.err


def test_backups_list_with_none_says_so(cli: Run, tmp_path: Path) -> None:
    listed = cli("backups", "list", "--data-dir", tmp_path)
    assert listed.code == 0
    assert "There are no backups" in listed.out


def test_a_data_folder_in_a_sync_folder_is_warned_about(cli: Run, tmp_path: Path) -> None:
    synced = tmp_path / "OneDrive - Fictional School"
    listed = cli("backups", "list", "--data-dir", synced / "data", OneDrive=str(synced))
    assert listed.code == 0
    assert "Warning: the data folder" in listed.err and "sync folder" in listed.err
    plain = cli("backups", "list", "--data-dir", tmp_path / "data")
    assert "Warning" not in plain.err
