"""The installer sources that cannot run here: the Windows workflow is valid YAML with
every step the issue asks for, and the WiX source is well-formed with the fixed upgrade
code, the per-machine folders, the shortcut, the shared data folder kept on uninstall."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import yaml

from installer.windows.files_wxs import fragment

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "windows.yml"
WXS = REPO / "installer" / "windows" / "incident_recorder.wxs"
UPGRADE_CODE = "6E3C9F2A-4B7D-4C1E-9A58-2F0D7B3E8C41"
NS = {"w": "http://schemas.microsoft.com/wix/2006/wi"}


def _steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = workflow["jobs"]["windows"]
    assert job["runs-on"] == "windows-latest"
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def _text(step: dict[str, Any]) -> str:
    return f"{step.get('uses', '')} {step.get('with', '')} {step.get('run', '')}"


def test_the_windows_workflow_has_every_step_in_order() -> None:
    steps = [_text(s) for s in _steps()]
    wanted = [
        "actions/checkout@v4",
        "actions/setup-python@v5 {'python-version': '3.11'}",
        'pip install -e ".[test,build]"',
        "python -m pytest",
        "PyInstaller --noconfirm --clean",
        "dotnet tool install --global wix",
        "wix build -arch x64",
        "/qn",
        'C:\\Program Files\\Incident Recorder\\incident-recorder.exe" --self-check',
        "actions/upload-artifact@v4",
    ]
    at = 0
    for text in wanted:
        found = next((i for i, step in enumerate(steps) if text in step), None)
        assert found is not None, f"no step runs {text!r}"
        assert found >= at, f"{text!r} comes too early"
        at = found
    assert "installer/incident_recorder.spec" in " ".join(steps)


def test_the_workflow_runs_offscreen_and_uploads_the_msi() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["jobs"]["windows"]["env"]["QT_QPA_PLATFORM"] == "offscreen"
    upload = next(s for s in _steps() if "upload-artifact" in s.get("uses", ""))
    assert "dist/*.msi" in upload["with"]["path"]


def test_the_wxs_is_well_formed_with_the_fixed_upgrade_code() -> None:
    root = ET.parse(WXS).getroot()
    product = root.find("w:Product", NS)
    assert product is not None
    assert product.get("UpgradeCode") == UPGRADE_CODE
    assert product.get("Id") == "*", "a new product code each build: major upgrades"
    assert product.get("Version") == "$(var.Version)"
    package = product.find("w:Package", NS)
    assert package is not None and package.get("InstallScope") == "perMachine"
    assert product.find("w:MajorUpgrade", NS) is not None


def test_the_wxs_installs_per_machine_with_a_shortcut_and_keeps_the_data_folder() -> None:
    root = ET.parse(WXS).getroot()
    dirs = {d.get("Id"): d for d in root.iter(f"{{{NS['w']}}}Directory")}
    assert dirs["INSTALLDIR"].get("Name") == "Incident Recorder"
    assert "INSTALLDIR" in [d.get("Id") for d in dirs["ProgramFiles64Folder"]]
    assert dirs["DATADIR"].get("Name") == "Incident Recorder"
    assert "DATADIR" in [d.get("Id") for d in dirs["CommonAppDataFolder"]]
    components = {c.get("Id"): c for c in root.iter(f"{{{NS['w']}}}Component")}
    data = components["DataFolder"]
    assert data.get("Permanent") == "yes"
    assert data.find("w:CreateFolder", NS) is not None
    shortcut = next(root.iter(f"{{{NS['w']}}}Shortcut"))
    assert shortcut.get("Name") == "Incident Recorder"
    assert shortcut.get("Target") == "[INSTALLDIR]Incident Recorder.exe"
    grant = next(a for a in root.iter(f"{{{NS['w']}}}CustomAction") if a.get("ExeCommand"))
    assert "*S-1-5-32-545:(OI)(CI)M" in (grant.get("ExeCommand") or "")
    assert grant.get("Execute") == "deferred" and grant.get("Impersonate") == "no"


def test_the_file_list_is_stable_and_complete(tmp_path: Path) -> None:
    app = tmp_path / "app"
    (app / "_internal" / "sub dir").mkdir(parents=True)
    for name in (
        "Incident Recorder.exe",
        "incident-recorder.exe",
        "_internal/a.dll",
        "_internal/sub dir/b & c.txt",
    ):
        (app / name).write_bytes(b"x")
    first, second = fragment(app), fragment(app)
    assert first == second
    root = ET.fromstring(first)
    files = [str(f.get("Source")) for f in root.iter(f"{{{NS['w']}}}File")]
    assert sorted(files) == sorted(
        f"$(var.AppDir)/{p}"
        for p in (
            "Incident Recorder.exe",
            "incident-recorder.exe",
            "_internal/a.dll",
            "_internal/sub dir/b & c.txt",
        )
    )
    refs = [r.get("Id") for r in root.iter(f"{{{NS['w']}}}ComponentRef")]
    comps = [c.get("Id") for c in root.iter(f"{{{NS['w']}}}Component")]
    assert refs == comps and len(set(comps)) == 4
    guids = {c.get("Guid") for c in root.iter(f"{{{NS['w']}}}Component")}
    other = tmp_path / "other"
    (other / "_internal").mkdir(parents=True)
    (other / "_internal" / "a.dll").write_bytes(b"y")
    again = ET.fromstring(fragment(other))
    assert {c.get("Guid") for c in again.iter(f"{{{NS['w']}}}Component")} <= guids, (
        "the same path keeps the same component GUID from build to build"
    )


def test_the_icon_has_the_sizes_windows_uses() -> None:
    data = (REPO / "resources" / "icons" / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = {struct.unpack_from("<B", data, 6 + 16 * i)[0] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes
    assert (REPO / "resources" / "icons" / "app.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
