"""``incident-recorder --self-check`` as IT staff run it: exit 0 only if all pass."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import Run


def test_self_check_passes_on_a_local_folder(cli: Run, tmp_path: Path) -> None:
    result = cli("--self-check", "--data-dir", tmp_path / "data")
    assert result.code == 0, result.out
    lines = result.out.splitlines()
    assert all(line.startswith("PASS  ") for line in lines[:-1])
    assert lines[-1].startswith("All ") and lines[-1].endswith(" checks passed.")
    assert f"PASS  Data folder: {tmp_path / 'data'} (from --data-dir)" in result.out


def test_self_check_fails_with_exit_1_and_says_why(cli: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = cli("--self-check", INCIDENT_RECORDER_DATA=str(blocker / "data"))
    assert result.code == 1
    assert "FAIL  Data folder: " in result.out and "(from INCIDENT_RECORDER_DATA)" in result.out
    assert "checks FAILED" in result.out
