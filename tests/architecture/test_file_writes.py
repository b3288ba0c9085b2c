"""Every file the app writes goes through infra/files.write_private (atomic, one
permission rule): a plain AST search of the package for anything else that writes,
renames or creates a file."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "incident_recorder"
THE_ONE_WRITER = PACKAGE / "infra" / "files.py"
# The data folder's lock is a file held open (and locked) while the app runs, not a
# document: it is written in place on purpose.
HELD_OPEN = {(PACKAGE / "infra" / "lock.py", "open")}
# When a command's reader has gone (``| head``), the null device is put behind standard
# output so that Python's flush at exit has somewhere to go: no file is written.
HELD_OPEN.add((PACKAGE / "cli.py", "os.open"))

# Calls that write, create or rename a file: os.replace(...), path.write_bytes(...), ...
WRITING_CALLS = {
    "replace": "os",
    "rename": "os",
    "renames": "os",
    "open": "os",
    "fdopen": "os",
    "fsync": "os",
    "mkstemp": "tempfile",
    "NamedTemporaryFile": "tempfile",
    "TemporaryFile": "tempfile",
    "SpooledTemporaryFile": "tempfile",
    "copy": "shutil",
    "copy2": "shutil",
    "copyfile": "shutil",
    "move": "shutil",
}
WRITING_METHODS = {"write_bytes", "write_text", "touch"}


def _mode(call: ast.Call) -> str | None:
    """The mode of an ``open(...)`` or ``path.open(...)`` call, when it is spelt out."""
    for keyword in call.keywords:
        if keyword.arg == "mode" and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
    is_method = isinstance(call.func, ast.Attribute)
    position = 0 if is_method else 1
    given = call.args[position] if len(call.args) > position else None
    return str(given.value) if isinstance(given, ast.Constant) else None


def _writes(node: ast.Call) -> str | None:
    """What the call does, if it writes a file outside write_private."""
    func = node.func
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else None
        if owner is not None and WRITING_CALLS.get(func.attr) == owner:
            return f"{owner}.{func.attr}"
        if func.attr in WRITING_METHODS:
            return f".{func.attr}"
        if func.attr == "open" and owner != "os":
            mode = _mode(node) or "r"
            return f".open({mode!r})" if set(mode) & set("wxa+") else None
        return None
    if isinstance(func, ast.Name) and func.id == "open":
        mode = _mode(node) or "r"
        return f"open({mode!r})" if set(mode) & set("wxa+") else None
    return None


def _offences() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == THE_ONE_WRITER:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            what = _writes(node)
            if what is None or (path, what.split("(")[0].lstrip(".")) in HELD_OPEN:
                continue
            found.append(f"{path.relative_to(REPO)}:{node.lineno}: {what}")
    return found


def test_only_infra_files_writes_files() -> None:
    assert _offences() == []


def test_the_search_finds_a_writer_when_there_is_one(tmp_path: Path) -> None:
    source = (
        "import os\nfrom pathlib import Path\n"
        "def save(p: Path, data: bytes) -> None:\n"
        "    tmp = p.with_suffix('.tmp')\n"
        "    with open(tmp, 'wb') as out:\n"
        "        out.write(data)\n"
        "    os.replace(tmp, p)\n"
        "    p.with_suffix('.json').write_text('{}')\n"
        "    with p.open() as handle:\n"  # reading is fine
        "        handle.read()\n"
    )
    calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]
    assert sorted(w for w in map(_writes, calls) if w) == [
        ".write_text",
        "open('wb')",
        "os.replace",
    ]


def test_the_search_reads_the_whole_package() -> None:
    # The one writer itself would be found were it not the one allowed.
    tree = ast.parse(THE_ONE_WRITER.read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert {"os.open", "os.replace", "os.fsync"} <= {w for w in map(_writes, calls) if w}
