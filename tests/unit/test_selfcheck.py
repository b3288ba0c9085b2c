"""``incident-recorder --self-check``: each check says PASS or FAIL in plain words, and
the data folder's checks catch network shares and sync folders."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from incident_recorder import __version__, selfcheck
from incident_recorder.infra import folder_safety
from incident_recorder.selfcheck import Check

MOUNTS = """\
/dev/sda1 / ext4 rw 0 0
server:/export /srv/shared nfs4 rw 0 0
//nas/staff /mnt/staff cifs rw 0 0
me@host:/ /home/me/remote fuse.sshfs rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


def test_every_check_passes_on_a_good_local_folder(tmp_path: Path) -> None:
    checks = selfcheck.run_checks(tmp_path / "data", "from --data-dir")
    text, passed = selfcheck.report(checks)
    assert passed, text
    names = [c.name for c in checks]
    for expected in (
        "App version",
        "SQLCipher",
        "Temporary data kept in memory",
        "Cipher settings",
        "Resources",
        "Fonts for PDFs",
        "Letter template",
        "Qt platform plugins",
        "Data folder",
        "Data folder writable",
        "Data folder is local",
        "Not in a sync folder",
        *(["Qt window libraries"] if sys.platform.startswith("linux") else []),
    ):
        assert expected in names
    assert f"PASS  App version: Incident Recorder {__version__}" in text
    assert "HMAC_SHA512" in text and "temp_store is MEMORY" in text
    assert text.endswith(f"All {len(checks)} checks passed.")
    assert (tmp_path / "data").is_dir()
    assert list((tmp_path / "data").iterdir()) == [], "the probe file is deleted"


def test_a_folder_that_cannot_be_made_fails_plainly(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    checks = selfcheck.check_data_folder(blocker / "data", "from --data-dir")
    assert [c.passed for c in checks] == [False]
    assert "cannot be created" in checks[0].line and checks[0].line.startswith("FAIL  ")


def test_the_report_counts_failures() -> None:
    text, passed = selfcheck.report([Check("A", True, "fine"), Check("B", False, "broken")])
    assert not passed
    assert text.splitlines() == [
        "PASS  A: fine",
        "FAIL  B: broken",
        "1 of 2 checks FAILED: see the lines above.",
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX mount points")
@pytest.mark.parametrize(
    ("folder", "kind"),
    [
        ("/", "ext4"),
        ("/srv/shared/incidents", "nfs4"),
        ("/mnt/staff", "cifs"),
        ("/home/me/remote/x", "fuse.sshfs"),
        ("/home/me/remoteX", "ext4"),
        ("/tmp/a", "tmpfs"),
    ],
)
def test_the_file_system_is_found_from_the_mounts(folder: str, kind: str) -> None:
    assert folder_safety.linux_fs_type(Path(folder), MOUNTS) == kind


@pytest.mark.parametrize(
    "kind", ["nfs", "nfs4", "cifs", "smb3", "sshfs", "fuse.sshfs", "fuse.rclone"]
)
def test_network_file_systems_are_not_local(kind: str) -> None:
    reason = folder_safety.network_reason(Path("/srv/data"), kind)
    assert reason is not None and kind in reason


def test_local_file_systems_and_unc_paths() -> None:
    assert folder_safety.network_reason(Path("/var/lib/x"), "ext4") is None
    assert folder_safety.network_reason(Path("/var/lib/x"), "btrfs") is None
    unc = folder_safety.network_reason(Path("//server/share/Incident Recorder"), "ext4")
    assert unc is not None and "network" in unc


def test_sync_folders_are_found_by_environment_and_by_name(tmp_path: Path) -> None:
    onedrive = tmp_path / "OneDrive - Fictional Trust"
    env = {"OneDriveCommercial": str(onedrive)}
    inside = folder_safety.sync_reason(onedrive / "Documents" / "data", env)
    assert inside is not None and "OneDriveCommercial" in inside
    assert folder_safety.sync_reason(tmp_path / "data", env) is None
    named = folder_safety.sync_reason(Path("/home/x/Dropbox/Incident Recorder"), {})
    assert named is not None and "file-sync" in named
    check = selfcheck.check_not_synced(Path("/home/x/Dropbox/Incident Recorder"))
    assert not check.passed and check.line.startswith("FAIL  Not in a sync folder")


def test_the_data_folder_source_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INCIDENT_RECORDER_DATA", raising=False)
    assert selfcheck.data_folder_source("/x") == "from --data-dir"
    assert selfcheck.data_folder_source(None) == "the default for this computer"
    monkeypatch.setenv("INCIDENT_RECORDER_DATA", "/y")
    assert selfcheck.data_folder_source(None) == "from INCIDENT_RECORDER_DATA"


def test_the_encryption_summary_for_about() -> None:
    facts = selfcheck.encryption()
    assert facts.as_expected
    assert facts.sqlcipher.startswith("4.")
    assert "AES-256" in facts.settings and "no plaintext header" in facts.settings
