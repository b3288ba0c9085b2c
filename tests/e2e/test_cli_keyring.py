"""A missing or damaged keyring on the command line (subprocesses, a copy of the demo):
a plain message instead of "run set-up", and ``restore-keyring`` from a backup."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import Run

BACKUP = re.compile(r"Backup made: (\S+)")
MISSING = "the keyring file (keyring.json) that unlocks them is missing"


def _demo_sign_in(folder: Path) -> tuple[str, str]:
    hint = json.loads((folder / "keyring.json").read_text(encoding="utf-8"))["demo"]
    return hint["username"], hint["passphrase"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", [("list",), ("verify",), ("backup",), ("pupils", "list")])
def test_a_missing_keyring_is_named_not_mistaken_for_no_database(
    cli: Run, demo: Path, command: tuple[str, ...]
) -> None:
    username, passphrase = _demo_sign_in(demo)
    (demo / "keyring.json").unlink()
    before = _digest(demo / "incidents.db")
    done = cli(*command, "--data-dir", demo, "--user", username, passphrase=passphrase)
    assert done.code == 2, done.out + done.err  # an expected failure, on one line
    assert MISSING in done.err and "restore-keyring" in done.err
    assert "set-up" not in done.err and "Something went wrong" not in done.err
    assert done.out == ""
    assert _digest(demo / "incidents.db") == before


def test_restore_keyring_from_a_backup_then_sign_in(cli: Run, demo: Path) -> None:
    username, passphrase = _demo_sign_in(demo)
    made = cli("backup", "--data-dir", demo)
    assert made.code == 0, made.err
    backup = Path(BACKUP.search(made.out).group(1))  # type: ignore[union-attr]
    (demo / "keyring.json").write_text("{ damaged")  # or missing: the same remedy

    restored = cli(
        "restore-keyring", "--data-dir", demo, str(backup), "--user", username,
        passphrase=passphrase,
    )  # fmt: skip
    assert restored.code == 0, restored.out + restored.err
    assert "is back in place" in restored.out
    restored_doc = json.loads((demo / "keyring.json").read_text(encoding="utf-8"))
    backup_doc = json.loads((backup / "keyring.json").read_text(encoding="utf-8"))
    for part in ("vault_id", "users", "recovery"):  # the backup's entries, as they were
        assert restored_doc[part] == backup_doc[part]
    kept = list((demo / "replaced").iterdir())
    assert [p.name for p in kept[0].iterdir()] == ["keyring.json"]  # the damaged one kept
    assert (kept[0] / "keyring.json").read_text() == "{ damaged"

    listed = cli("list", "--data-dir", demo, "--user", username, passphrase=passphrase)
    assert listed.code == 0, listed.err
    verified = cli("verify", "--data-dir", demo, "--user", username, passphrase=passphrase)
    assert verified.code == 0, verified.out + verified.err


def test_restore_keyring_refuses_a_key_that_does_not_open_the_records(
    cli: Run, demo: Path, tmp_path: Path
) -> None:
    other, usb = tmp_path / "other-school", tmp_path / "usb"
    usb.mkdir()
    passphrase = "quiet meadow lantern"
    init = cli(
        "init", "--data-dir", other, "--school", "Fictional Willow Academy",
        "--admin", "w.osei", "--address", "9 Imaginary Lane", passphrase=passphrase,
    )  # fmt: skip
    assert init.code == 0, init.err
    made = cli("backup", "--data-dir", other, "--user", "w.osei", passphrase=passphrase)
    backup = Path(BACKUP.search(made.out).group(1))  # type: ignore[union-attr]
    (demo / "keyring.json").unlink()
    before = _digest(demo / "incidents.db")

    refused = cli(
        "restore-keyring", "--data-dir", demo, str(backup), "--user", "w.osei",
        passphrase=passphrase,
    )  # fmt: skip
    assert refused.code == 1, refused.out + refused.err
    assert "does not unlock the records" in refused.out and "nothing was changed" in refused.out
    assert "restore the whole backup" in refused.out
    assert not (demo / "keyring.json").exists()
    assert not (demo / "replaced").exists()
    assert _digest(demo / "incidents.db") == before

    wrong = cli(
        "restore-keyring", "--data-dir", demo, str(backup), "--user", "w.osei",
        passphrase="not the passphrase",
    )  # fmt: skip
    assert wrong.code == 2 and "do not open this backup" in wrong.err
