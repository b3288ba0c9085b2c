"""Can Qt open a window on this Linux computer? Answered before Qt is loaded.

When Qt's platform plugin (``xcb`` on an X11 desktop) cannot load, Qt prints
"From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb platform plugin"
whatever is really missing, then aborts the process. This module reads the plugin's ELF
dependencies itself (``DT_NEEDED``, with ``RPATH``/``RUNPATH``, ``LD_LIBRARY_PATH``,
``/etc/ld.so.conf`` and the standard folders, as the dynamic loader does), without
``ldd`` and without loading anything, so the launcher can name the libraries that are
really missing and the one apt-get command that installs them (qt_requirements.py).

Standard library only, and no Qt: the launcher runs this before Qt is imported, and it
costs a few milliseconds.
"""

from __future__ import annotations

import importlib.util
import os
import struct
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from incident_recorder.infra.qt_requirements import (
    apt_get_command,
    install_command,
    package_for,
)

_PT_LOAD, _PT_DYNAMIC = 1, 2
_DT_NULL, _DT_NEEDED, _DT_STRTAB, _DT_STRSZ, _DT_RPATH, _DT_RUNPATH = 0, 1, 5, 10, 15, 29


@dataclass(frozen=True, slots=True)
class ElfFile:
    """What the dynamic loader reads from a shared library before loading it."""

    path: str
    kind: tuple[int, int]  # (ELF class, machine): a library must match its user's
    needed: tuple[str, ...]
    rpath: tuple[str, ...]
    runpath: tuple[str, ...]


def read_elf(path: str | os.PathLike[str]) -> ElfFile | None:
    """The dependencies of the ELF file ``path``; None if it is missing, unreadable, empty
    or not an ELF shared object (the loader would refuse it too). Reads only the headers,
    the dynamic section and its strings, not the whole file."""
    try:
        with open(path, "rb") as handle:  # plain strings: this runs ~60 times
            return _parse(os.fspath(path), handle)
    except (OSError, struct.error, ValueError, IndexError):
        return None


def elf_kind(path: str) -> tuple[int, int] | None:
    """(ELF class, machine) from the first 20 bytes of ``path``; None if it is not ELF."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(20)
    except OSError:
        return None
    if len(header) < 20 or header[:4] != b"\x7fELF" or header[4] not in (1, 2):
        return None
    order = "<" if header[5] == 1 else ">"
    return header[4], struct.unpack_from(order + "H", header, 18)[0]


def _parse(path: str, handle: BinaryIO) -> ElfFile | None:
    def read(offset: int, size: int) -> bytes:
        handle.seek(offset)
        chunk = handle.read(size)
        if len(chunk) < size:
            raise ValueError("truncated")
        return chunk

    header = handle.read(64)
    if len(header) < 52 or header[:4] != b"\x7fELF" or header[4] not in (1, 2):
        return None
    wide = header[4] == 2
    order = "<" if header[5] == 1 else ">"
    machine = struct.unpack_from(order + "H", header, 18)[0]
    if wide:
        phoff = struct.unpack_from(order + "Q", header, 32)[0]
        phentsize, phnum = struct.unpack_from(order + "HH", header, 54)
    else:
        phoff = struct.unpack_from(order + "I", header, 28)[0]
        phentsize, phnum = struct.unpack_from(order + "HH", header, 42)
    table = read(phoff, phentsize * phnum)
    loads: list[tuple[int, int, int]] = []  # (vaddr, offset, size in file)
    dynamic: tuple[int, int] | None = None
    for index in range(phnum):
        at = index * phentsize
        if wide:
            p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz = struct.unpack_from(
                order + "IIQQQQ", table, at
            )
        else:
            p_type, p_offset, p_vaddr, _paddr, p_filesz = struct.unpack_from(
                order + "IIIII", table, at
            )
        if p_type == _PT_LOAD:
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == _PT_DYNAMIC:
            dynamic = (p_offset, p_filesz)
    if dynamic is None:
        return None
    entry, fmt = (16, order + "qQ") if wide else (8, order + "iI")
    section = read(dynamic[0], dynamic[1])
    tags: list[tuple[int, int]] = []
    for at in range(0, len(section) - entry + 1, entry):
        tag, value = struct.unpack_from(fmt, section, at)
        if tag == _DT_NULL:
            break
        tags.append((tag, value))
    strtab = next((v for t, v in tags if t == _DT_STRTAB), None)
    size = next((v for t, v in tags if t == _DT_STRSZ), None)
    if strtab is None or size is None:
        return None
    base = next(
        (off + strtab - vaddr for vaddr, off, filesz in loads if vaddr <= strtab < vaddr + filesz),
        strtab,
    )
    strings = read(base, size)

    def text(offset: int) -> str:
        return strings[offset : strings.index(b"\0", offset)].decode("utf-8", "replace")

    origin = os.path.dirname(path)

    def folders(tag: int) -> tuple[str, ...]:
        found: list[str] = []
        for t, v in tags:
            if t == tag:
                for part in text(v).split(":"):
                    if part:
                        found.append(part.replace("${ORIGIN}", origin).replace("$ORIGIN", origin))
        return tuple(found)

    return ElfFile(
        path=path,
        kind=(header[4], machine),
        needed=tuple(text(v) for t, v in tags if t == _DT_NEEDED),
        rpath=folders(_DT_RPATH),
        runpath=folders(_DT_RUNPATH),
    )


@lru_cache(maxsize=1)
def system_folders() -> tuple[str, ...]:
    """Where the dynamic loader looks last, after ``LD_LIBRARY_PATH`` and a library's own
    RUNPATH: the folders in ``/etc/ld.so.conf`` (what ``ldconfig`` caches), then the
    defaults. The frozen app's own folder comes first (PyInstaller keeps copies there)."""
    found: list[str] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(str(bundle))
    found += _ld_so_conf("/etc/ld.so.conf", set())
    multiarch = getattr(sys.implementation, "_multiarch", "")  # x86_64-linux-gnu
    for prefix in ("/usr/local/lib", "/lib", "/usr/lib"):
        if multiarch:
            found.append(f"{prefix}/{multiarch}")
    found += ["/lib64", "/usr/lib64", "/lib", "/usr/lib"]
    return tuple(dict.fromkeys(found))


def _ld_so_conf(conf: str, seen: set[str]) -> list[str]:
    if conf in seen:
        return []
    seen.add(conf)
    try:
        with open(conf, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return []
    found: list[str] = []
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if line.startswith("include"):
            pattern = line.removeprefix("include").strip()
            if not pattern.startswith("/"):
                pattern = os.path.join(os.path.dirname(conf), pattern)
            for name in _matching(pattern):
                found += _ld_so_conf(name, seen)
        elif line.startswith("hwcap"):
            continue
        elif line:
            found.append(line)
    return found


def _matching(pattern: str) -> list[str]:
    """The files matching an ld.so.conf ``include`` (``/etc/ld.so.conf.d/*.conf``): one
    ``*`` in the file name, as Debian and Ubuntu write them."""
    folder, name = os.path.split(pattern)
    if "*" not in name:
        return [pattern] if os.path.isfile(pattern) else []
    head, _star, tail = name.partition("*")
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [
        os.path.join(folder, n)
        for n in names
        if n.startswith(head) and n.endswith(tail) and len(n) >= len(head) + len(tail)
    ]


def dependencies(
    binary: str | os.PathLike[str],
    environ: Mapping[str, str] | None = None,
    follow_within: str | None = None,
) -> dict[str, str | None]:
    """Every shared library ``binary`` loads, directly or through the libraries it loads,
    by soname, with the file the dynamic loader would take (None: not found). What
    ``ldd`` prints, without running anything.

    ``follow_within``: read the dependencies only of libraries in this folder (Qt's own);
    a system library found is taken as complete, since its package brings what it needs
    (the check at start-up then reads a handful of files instead of some forty)."""
    environ = os.environ if environ is None else environ
    top = read_elf(binary)
    if top is None:
        return {os.path.basename(binary): None}
    ld_library_path = tuple(p for p in environ.get("LD_LIBRARY_PATH", "").split(":") if p)
    system = system_folders()
    resolved: dict[str, str | None] = {}
    queue = [top]
    while queue:
        user = queue.pop(0)
        first = () if user.runpath else user.rpath
        for soname in user.needed:
            if soname in resolved:
                continue
            # The loader's order: the library's RPATH (when it has no RUNPATH),
            # LD_LIBRARY_PATH, its RUNPATH, then ldconfig's folders and the defaults.
            folders = (*first, *ld_library_path, *user.runpath, *system)
            if follow_within is not None:
                path = _locate(soname, user, folders)
                resolved[soname] = path
                if path is not None and os.path.realpath(path).startswith(follow_within):
                    inner = read_elf(path)
                    if inner is not None:
                        queue.append(inner)
                continue
            found = _find(soname, user, folders)
            resolved[soname] = found.path if found else None
            if found is not None:
                queue.append(found)
    return resolved


def missing_libraries(
    binary: str | os.PathLike[str],
    environ: Mapping[str, str] | None = None,
    follow_within: str | None = None,
) -> list[str]:
    """The sonames ``binary`` needs that cannot be found: ``ldd``'s "not found" lines
    (see :func:`dependencies` for ``follow_within``)."""
    found = dependencies(binary, environ, follow_within)
    return [name for name, path in found.items() if path is None]


def _locate(soname: str, user: ElfFile, folders: Iterable[str]) -> str | None:
    """The file the loader would take for ``soname``, reading only each file's ELF kind."""
    candidates = [soname] if "/" in soname else [os.path.join(f, soname) for f in folders]
    return next((c for c in candidates if elf_kind(c) == user.kind), None)


def _find(soname: str, user: ElfFile, folders: Iterable[str]) -> ElfFile | None:
    if "/" in soname:
        candidate = read_elf(soname)
        return candidate if candidate and candidate.kind == user.kind else None
    for folder in folders:
        candidate = read_elf(os.path.join(folder, soname))
        if candidate is not None and candidate.kind == user.kind:
            return candidate
    return None


# --------------------------------------------------------------------------- Qt's plugins


def qt_folder() -> Path | None:
    """PySide6's folder, found without loading Qt."""
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle and (Path(bundle) / "PySide6").is_dir():
        return Path(bundle) / "PySide6"
    return None


def platform_plugin_folder(environ: Mapping[str, str] | None = None) -> Path | None:
    environ = os.environ if environ is None else environ
    forced = environ.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    if forced:
        return Path(forced)
    base = qt_folder()
    if base is None:
        return None
    return next(
        (
            p
            for p in (base / "Qt" / "plugins" / "platforms", base / "plugins" / "platforms")
            if p.is_dir()
        ),
        None,
    )


def platforms_qt_tries(environ: Mapping[str, str] | None = None) -> list[str]:
    """The platform plugins Qt 6 tries, in order, for this environment (as
    QGuiApplication does: ``QT_QPA_PLATFORM`` if set; else Wayland first in a Wayland
    session, then xcb when ``DISPLAY`` is set; xcb is the default on Linux)."""
    environ = os.environ if environ is None else environ
    forced = environ.get("QT_QPA_PLATFORM", "")
    if forced:
        names = forced.split(";")
    else:
        names = []
        if environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland":
            names.append("wayland")
        names.append("xcb")
    tried = [n.split(":", 1)[0].strip().lower() for n in names]
    return list(dict.fromkeys(n for n in tried if n))


def plugin_file(folder: Path, platform: str) -> Path | None:
    """The plugin file that provides ``platform`` (Qt 6.11's one Wayland plugin provides
    wayland, wayland-egl and wayland-brcm; older ones had a file each)."""
    names = [f"libq{platform}.so"]
    if platform.startswith("wayland"):
        names += ["libqwayland.so", "libqwayland-generic.so", "libqwayland-egl.so"]
    return next((folder / n for n in names if (folder / n).is_file()), None)


@dataclass(frozen=True, slots=True)
class PlatformCheck:
    platform: str
    plugin: Path | None  # None: Qt has no such plugin here
    missing: tuple[str, ...]

    @property
    def usable(self) -> bool:
        return self.plugin is not None and not self.missing


def check_platforms(environ: Mapping[str, str] | None = None) -> list[PlatformCheck]:
    """Each platform plugin Qt would try here, with the libraries it cannot find."""
    environ = os.environ if environ is None else environ
    folder = platform_plugin_folder(environ)
    qt = qt_folder()
    within = os.path.realpath(qt) if qt is not None else None
    checks = []
    for platform in platforms_qt_tries(environ):
        plugin = plugin_file(folder, platform) if folder is not None else None
        missing = tuple(missing_libraries(plugin, environ, within)) if plugin is not None else ()
        checks.append(PlatformCheck(platform, plugin, missing))
    return checks


def window_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why Qt will not be able to open a window here, in plain words; None when one of the
    platform plugins it tries has every library it needs (or when there is nothing this
    check can tell: no PySide6, or a plugin name it does not know; Qt then says)."""
    checks = check_platforms(environ)
    if not any(c.plugin is not None for c in checks) or any(c.usable for c in checks):
        return None
    return missing_message(m for c in checks for m in c.missing)


def missing_message(missing: Iterable[str]) -> str:
    """The plain message for libraries Qt needs that this computer does not have, with the
    apt-get command that installs exactly their packages."""
    names = list(dict.fromkeys(missing))
    packages = list(dict.fromkeys(p for p in map(package_for, names) if p))
    unknown = [n for n in names if package_for(n) is None]
    if unknown:
        how = (
            f"install everything the app needs by running: {apt_get_command()} (if "
            f"{describe(unknown)} is still missing after that, 'apt-file search' "
            "finds its package)"
        )
    else:
        how = f"install them by running: {install_command(packages)}"
    return (
        "The app cannot open its window: this computer is missing system libraries that "
        f"its window toolkit (Qt) needs: {describe(names)}. On Debian or Ubuntu, {how}"
    )


def describe(sonames: Sequence[str]) -> str:
    """``libxcb-icccm.so.4 (package libxcb-icccm4) and …``"""
    parts = []
    for soname in sonames:
        package = package_for(soname)
        parts.append(f"{soname} (package {package})" if package else soname)
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def import_problem(error: BaseException) -> str:
    """Why importing PySide6 failed, in plain words (a library Qt's core needs is missing,
    most often): named, with the apt-get command."""
    base = qt_folder()
    missing: list[str] = []
    if base is not None:
        for module in ("QtWidgets", "QtGui", "QtCore"):
            binary = next(iter(sorted(base.glob(f"{module}.*.so"))), None)
            if binary is not None:
                missing += missing_libraries(binary)
    if missing:
        return missing_message(missing)
    return (
        f"The app's window toolkit (Qt) could not start: {error}. On Debian or Ubuntu, "
        f"install the system libraries it needs by running: {apt_get_command()}"
    )
