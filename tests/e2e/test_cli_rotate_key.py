"""``incident-recorder rotate-key`` in a subprocess, as IT staff run it: the school's key
changed, the switched-off account opening nothing, an account of the older keyring form
given a temporary passphrase, and a backup under an earlier key deleted on request.
Everyone here is fictional."""

from __future__ import annotations

import shutil
from pathlib import Path

from incident_recorder.store.vault import FileKeyVault
from tests.e2e.conftest import Run
from tests.integration.rotation_school import (
    ADMIN,
    ADMIN_PASS,
    CHEAP,
    LEAVER,
    LEAVER_PASS,
    STAFF,
    STAFF_PASS,
    build_school,
    keys_from,
    make_older_form,
)

TEMPORARY = "amber willow chalk ninety"


def test_rotate_key_from_the_command_line(cli: Run, tmp_path: Path) -> None:
    school = build_school(tmp_path)
    school.services.close()
    make_older_form(
        school.data_dir,
        school.old_key,
        {ADMIN: ADMIN_PASS, STAFF: STAFF_PASS},
        school.recovery_code,
    )
    other = tmp_path / "other"
    other.mkdir()
    kept = build_school(other).generation_folders()[0]
    stale = school.second / kept.name.replace("20261102", "20261001")
    shutil.copytree(kept, stale)

    done = cli(
        "rotate-key",
        "--data-dir",
        school.data_dir,
        "--user",
        ADMIN,
        "--delete-old-backups",
        passphrase=ADMIN_PASS,
        INCIDENT_RECORDER_NEW_PASSPHRASE=TEMPORARY,
    )
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert "Copying the backups under the new key…" in lines
    assert (
        "The records and 4 backups are now under a new key. Accounts that open them: "
        f"{STAFF}, {ADMIN}." in lines
    )
    assert f"Tell {STAFF} their temporary passphrase in person." in lines
    (code_line,) = [line for line in lines if line.startswith("New recovery code")]
    code = code_line.rsplit(" ", 1)[1]
    assert f"Not re-encrypted: {stale} (deleted)." in done.out
    assert not stale.exists()

    vault = FileKeyVault(school.data_dir, CHEAP)
    new_key = vault.unlock(STAFF, TEMPORARY)
    assert new_key != school.old_key
    assert vault.unlock(ADMIN, ADMIN_PASS) == new_key  # upgraded at sign-in, then sealed to
    assert vault.unlock_with_recovery_code(code) == new_key
    for generation in school.generation_folders():
        assert keys_from(generation / "keyring.json", LEAVER, LEAVER_PASS) is None
        assert keys_from(generation / "keyring.json", STAFF, TEMPORARY) == new_key

    listed = cli("list", "--data-dir", school.data_dir, "--user", STAFF, passphrase=TEMPORARY)
    assert listed.code == 0, listed.err
    refused = cli(
        "rotate-key", "--data-dir", school.data_dir, "--user", STAFF, passphrase=TEMPORARY
    )
    assert refused.code == 2
    assert "does not allow you to change the school's key" in refused.err
