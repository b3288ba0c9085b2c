"""Offline by design, proven: every command of ``incident-recorder`` runs in a process
whose network sockets are refused (tests/conftest_offline.py puts a ``sitecustomize``
first on PYTHONPATH that refuses AF_INET/AF_INET6 sockets and name lookups and prints
``NETWORK ACCESS ATTEMPTED``; AF_UNIX sockets stay allowed). And no module of the app
imports a network library at all.

The GUI session (set-up, sign-in, record, PDF, help) runs offline in
tests/gui/test_offline_session.py; the GUI in its own process in test_gui_process.py.
Everyone named is fictional.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from incident_recorder.cli import build_parser
from tests.conftest_offline import MARKER, offline_env
from tests.e2e.conftest import ADMIN_PASSPHRASE, REPO, Result, run_cli

PACKAGE = REPO / "incident_recorder"
SIMS = REPO / "tests" / "fixtures" / "mis" / "sims-style.csv"
STAFF_PASSPHRASE = "harbour tulip seven nine"

# Modules that reach the network, or hand a URL to something that does.
NETWORK_MODULES = (
    "urllib",
    "http",
    "requests",
    "httpx",
    "aiohttp",
    "urllib3",
    "ssl",
    "ftplib",
    "smtplib",
    "poplib",
    "imaplib",
    "telnetlib",
    "xmlrpc",
    "socketserver",
    "asyncio",
    "webbrowser",
    "PySide6.QtNetwork",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebSockets",
    "PySide6.QtHttpServer",
)
# Names that would open a URL or a connection from Qt without importing QtNetwork.
NETWORK_CALLS = ("QDesktopServices", "QNetworkAccessManager", "openUrl", "QTcpSocket")


def commands() -> list[tuple[str, ...]]:
    """Every sub-command the parser knows, e.g. ("pupils", "import")."""

    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
        found: list[tuple[str, ...]] = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    deeper = walk(sub, (*prefix, name))
                    found.extend(deeper or [(*prefix, name)])
        return found

    return walk(build_parser(), ())


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, ...], Result]]:
    """Each command run once, in order, with the network blocked; results by command."""
    base = tmp_path_factory.mktemp("offline")
    guard = offline_env(base / "guard")
    env = {
        "PYTHONPATH": os.pathsep.join([guard["PYTHONPATH"], str(REPO)]),
        "HOME": str(base / "home"),
    }
    runs: dict[tuple[str, ...], Result] = {}

    def run(key: tuple[str, ...], *args: str | Path, **extra: str) -> Result:
        passphrase = extra.pop("passphrase", None)
        result = run_cli(*args, passphrase=passphrase, **env, **extra)
        runs[key] = result
        return result

    school, demo, copy = base / "school", base / "demo", base / "copy"
    admin = ("--data-dir", school, "--user", "r.admin")
    run(("--version",), "--version")
    run(("--help",), "--help")
    run(("--self-check",), "--self-check", "--data-dir", school)
    run(
        ("init",),
        *("init", "--data-dir", school, "--school", "Fictional Rowan Primary"),
        *("--admin", "r.admin", "--full-name", "Siân Griffiths"),
        passphrase=ADMIN_PASSPHRASE,
    )
    run(
        ("user", "add"),
        *("user", "add", "t.nowak", "--full-name", "Tomasz Nowak", "--role", "staff", *admin),
        passphrase=ADMIN_PASSPHRASE,
        INCIDENT_RECORDER_NEW_PASSPHRASE=STAFF_PASSPHRASE,
    )
    run(("pupils", "import"), "pupils", "import", SIMS, *admin, passphrase=ADMIN_PASSPHRASE)
    run(("pupils", "list"), "pupils", "list", *admin, passphrase=ADMIN_PASSPHRASE)
    run(("demo",), "demo", "--no-gui", "--data-dir", demo)
    run(("verify",), "verify", "--data-dir", demo)
    listed = run(("list",), "list", "--data-dir", demo)
    reference = re.search(r"^(\d{4}-\d{4})", listed.out, re.M)
    run(
        ("record",),
        *("record", reference.group(1) if reference else "2026-0001", "--for-parents"),
        *("--data-dir", demo, "-o", base / "record.pdf"),
    )
    if ("letter",) in commands():
        run(
            ("letter",),
            *("letter", reference.group(1) if reference else "2026-0001"),
            *("--data-dir", demo, "-o", base / "letter.pdf"),
        )
    exported = base / "export.json"
    run(("export",), "export", "--json", exported, "--data-dir", demo)
    head = "Demo Lead"
    if exported.is_file():
        document = json.loads(exported.read_text(encoding="utf-8"))
        head = next(u["full_name"] for u in document["users"] if u["username"] == "demo")
    run_cli(
        *("init", "--data-dir", copy, "--school", "Fictional Copy School"),
        *("--admin", "demo", "--full-name", head),
        passphrase=ADMIN_PASSPHRASE,
        **env,
    )
    run(
        ("import",),
        *("import", "--json", exported, "--data-dir", copy, "--user", "demo"),
        passphrase=ADMIN_PASSPHRASE,
    )
    for command in commands():  # a command added later: at least its help, offline
        if command not in runs:
            run(command, *command, "--help")
    yield runs


def test_every_command_is_covered(offline: dict[tuple[str, ...], Result]) -> None:
    missing = [c for c in commands() if c not in offline]
    assert missing == []


@pytest.mark.parametrize(
    "command",
    [
        ("--version",),
        ("--help",),
        ("--self-check",),
        ("init",),
        ("user", "add"),
        ("pupils", "import"),
        ("pupils", "list"),
        ("demo",),
        ("list",),
        ("record",),
        ("export",),
        ("import",),
        ("verify",),
        *([("letter",)] if ("letter",) in commands() else []),
    ],
    ids=" ".join,
)
def test_the_command_works_with_the_network_blocked(
    offline: dict[tuple[str, ...], Result], command: tuple[str, ...]
) -> None:
    result = offline[command]
    assert MARKER not in result.err, result.err
    assert result.code == 0, result.err or result.out


def test_no_command_even_tried_the_network(offline: dict[tuple[str, ...], Result]) -> None:
    tried = {" ".join(c): r.err for c, r in offline.items() if MARKER in r.err}
    assert tried == {}


def test_the_guard_really_is_on_in_those_processes(tmp_path: Path) -> None:
    guard = offline_env(tmp_path / "guard")
    reach_out = "import socket; socket.create_connection(('192.0.2.1', 80), timeout=1)"
    tried = subprocess.run(
        [sys.executable, "-c", reach_out], env=guard, capture_output=True, text=True, timeout=30
    )
    assert tried.returncode != 0 and MARKER in tried.stderr


def _imports(file: Path) -> list[str]:
    tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def test_no_module_of_the_app_imports_a_network_library() -> None:
    offenders = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        bad = [
            name
            for name in _imports(file)
            if any(name == m or name.startswith(m + ".") for m in NETWORK_MODULES)
        ]
        if bad:
            offenders[str(file.relative_to(REPO))] = bad
    assert offenders == {}


def test_socket_is_used_only_for_this_computers_name() -> None:
    """infra/lock.py names the computer holding the lock (socket.gethostname, no network)."""
    uses = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        text = file.read_text(encoding="utf-8")
        if "socket" in _imports(file):
            calls = set(re.findall(r"socket\.(\w+)", text))
            uses[str(file.relative_to(REPO))] = calls
    assert all(calls <= {"gethostname"} for calls in uses.values()), uses


def test_no_module_opens_a_url_through_qt() -> None:
    found = {
        str(file.relative_to(REPO)): [name for name in NETWORK_CALLS if name in text]
        for file in sorted(PACKAGE.rglob("*.py"))
        if any(name in (text := file.read_text(encoding="utf-8")) for name in NETWORK_CALLS)
    }
    assert found == {}
