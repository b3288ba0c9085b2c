"""Key rotation killed at each of its steps (``incident-recorder rotate-key`` in a
subprocess, paused at a named step and then sent SIGKILL): at every step either the old
or the new key opens a complete database, and after the next sign-in (which finishes or
undoes the rotation) everyone left signs in, the records are all there, and the
switched-off person's old passphrase opens nothing that survives. Everyone here is
fictional."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from incident_recorder.domain.errors import WrongPassphrase
from incident_recorder.store import rotation
from incident_recorder.store.backup import DATABASE_FILE, KEYRING_FILE
from incident_recorder.wiring import Composition
from tests.integration.rotation_school import (
    ADMIN,
    ADMIN_PASS,
    CHEAP,
    LEAVER,
    LEAVER_PASS,
    STAFF,
    STAFF_PASS,
    build_school,
    counts,
    keys_from,
    opens,
)

REPO = Path(__file__).resolve().parents[2]
COMMITTED_FROM = rotation.STEPS.index("committed")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, dict[str, int]]:
    """A school with one account switched off, closed, to copy for each step."""
    root = tmp_path_factory.mktemp("rotation-kill")
    school = build_school(root)
    school.services.close()
    return root, school.old_key, counts(school.data_dir / DATABASE_FILE, school.old_key)


def _killed_at(step: str, root: Path) -> None:
    signal_file = root / "paused"
    env = {k: v for k, v in os.environ.items() if not k.startswith("INCIDENT_RECORDER_")}
    env.update(
        PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        INCIDENT_RECORDER_FAST_KDF="1",
        INCIDENT_RECORDER_PASSPHRASE=ADMIN_PASS,
        QT_QPA_PLATFORM="offscreen",
        **{rotation.ENV_PAUSE_AT: step, rotation.ENV_PAUSE_FILE: str(signal_file)},
    )
    command = [sys.executable, "-m", "incident_recorder", "rotate-key"]
    process = subprocess.Popen(
        [*command, "--data-dir", str(root / "data"), "--user", ADMIN],
        env=env,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not signal_file.exists():
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"rotate-key ended before {step}: {process.returncode} {out!r} {err!r}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"rotate-key never reached {step}")
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL


def _complete(path: Path, key: bytes, rows: dict[str, int]) -> bool:
    """Every table as it was (the audit log may have grown: the rotation signs in, and
    adds its own entry), with the integrity checks and the audit chain passing."""
    try:
        found = counts(path, key)
    except Exception:
        return False
    rest = {k: v for k, v in found.items() if k != "audit"}
    return (
        rest == {k: v for k, v in rows.items() if k != "audit"}
        and found.get("audit", 0) >= rows["audit"]
    )


def _complete_under_some_key(data_dir: Path, old_key: bytes, rows: dict[str, int]) -> str:
    """Which key opens a complete database now, before anything finishes the rotation:
    "old" or "new" (the new key as the keyring in place, or the prepared one, gives it
    to the administrator's passphrase)."""
    database = data_dir / DATABASE_FILE
    if _complete(database, old_key, rows):
        return "old"
    for keyring in (data_dir / KEYRING_FILE, data_dir / rotation.NEW_KEYRING):
        if not keyring.exists():
            continue
        key = keys_from(keyring, ADMIN, ADMIN_PASS)
        if key is None or key == old_key:
            continue
        for candidate in (database, data_dir / rotation.NEW_DATABASE):
            if _complete(candidate, key, rows):
                return "new"
    return "neither"


@pytest.mark.parametrize("step", rotation.STEPS)
def test_killed_at_each_step_either_key_opens_a_complete_database(
    step: str, template: tuple[Path, bytes, dict[str, int]], tmp_path: Path
) -> None:
    source, old_key, rows = template
    root = tmp_path / "school"
    shutil.copytree(source, root)
    # The second folder's path is stored in the settings: keep it where it was made.
    second = source / "usb"
    second_saved = tmp_path / "usb-saved"
    shutil.copytree(second, second_saved)
    try:
        shutil.rmtree(root / "usb")
        _killed_at(step, root)
        data_dir = root / "data"
        found = _complete_under_some_key(data_dir, old_key, rows)
        assert found != "neither", f"killed at {step}: no key opens a complete database"
        print(f"killed at {step}: the {found} key opens a complete database")

        # The next sign-in finishes (or undoes) the rotation; everyone left signs in.
        accounts = Composition(data_dir, CHEAP).accounts
        session = accounts.sign_in(ADMIN, ADMIN_PASS)
        key = bytes(session.data_key)
        session.close()
        accounts.sign_in(STAFF, STAFF_PASS).close()
        with pytest.raises(WrongPassphrase):
            accounts.sign_in(LEAVER, LEAVER_PASS)
        committed = rotation.STEPS.index(step) >= COMMITTED_FROM
        assert (key != old_key) == committed
        assert _complete(data_dir / DATABASE_FILE, key, rows)
        assert not (data_dir / rotation.JOURNAL_NAME).exists()
        everything = list(root.rglob("*")) + list(second.rglob("*"))
        assert [p for p in everything if ".rotating" in p.name or ".retired" in p.name] == []
        shelves = [data_dir / "backups", second]
        generations = sorted(p.parent for s in shelves for p in s.glob(f"*/{DATABASE_FILE}"))
        assert len(generations) == 4
        for generation in generations:
            # Each backup is whole under one key, with a keyring that opens it.
            backup_key = keys_from(generation / KEYRING_FILE, STAFF, STAFF_PASS)
            assert backup_key is not None
            assert counts(generation / DATABASE_FILE, backup_key)
            if committed:
                assert backup_key == key
                assert keys_from(generation / KEYRING_FILE, LEAVER, LEAVER_PASS) is None
                assert not opens(generation / DATABASE_FILE, old_key)
        if committed:
            assert not opens(data_dir / DATABASE_FILE, old_key)
            assert keys_from(data_dir / KEYRING_FILE, LEAVER, LEAVER_PASS) is None
    finally:
        shutil.rmtree(second)
        shutil.copytree(second_saved, second)
