"""Proof that the app never reaches the network: a guard that makes every attempt fail
and remembers it, so an attempt the code catches and ignores still fails the test.

Use it three ways:

- the ``no_network`` fixture (re-exported by ``tests/architecture/conftest.py``; import it
  into any other ``conftest.py`` that wants it): the test fails if anything tried;
- ``with network_blocked() as guard:`` for a block of code, then look at ``guard.attempts``;
- ``offline_env(folder)`` for a subprocess (the CLI, the GUI): an environment whose
  ``sitecustomize`` installs the same guard in the child, which prints
  ``NETWORK ACCESS ATTEMPTED`` on stderr at each try.

Local sockets (AF_UNIX, e.g. ``socket.socketpair``) are not the network and stay allowed.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

MARKER = "NETWORK ACCESS ATTEMPTED"

_LOOKUPS = (
    "create_connection",
    "getaddrinfo",
    "gethostbyname",
    "gethostbyname_ex",
    "gethostbyaddr",
    "getnameinfo",
)


class NetworkBlocked(OSError):
    """Raised in place of any network access while the guard is on."""


@dataclass
class NetworkGuard:
    attempts: list[str] = field(default_factory=list)

    def refuse(self, what: str) -> NetworkBlocked:
        self.attempts.append(what)
        return NetworkBlocked(f"{MARKER}: {what} (Incident Recorder must work offline)")


@contextmanager
def network_blocked() -> Iterator[NetworkGuard]:
    guard = NetworkGuard()
    local = getattr(socket, "AF_UNIX", None)
    real_socket = socket.socket

    class GuardedSocket(real_socket):  # type: ignore[misc, valid-type]
        def __init__(
            self, family: int = -1, type: int = -1, proto: int = -1, fileno: Any = None
        ) -> None:
            # With fileno, an existing descriptor is being wrapped (socketpair, accept).
            if fileno is None and family != local:
                raise guard.refuse(f"socket.socket(family={family})")
            super().__init__(family, type, proto, fileno)

    def refusing(name: str) -> Callable[..., Any]:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            raise guard.refuse(f"socket.{name}{args!r}")

        return refuse

    saved = {name: getattr(socket, name) for name in ("socket", *_LOOKUPS)}
    socket.socket = GuardedSocket  # type: ignore[misc]
    for name in _LOOKUPS:
        setattr(socket, name, refusing(name))
    try:
        yield guard
    finally:
        for name, value in saved.items():
            setattr(socket, name, value)


@pytest.fixture
def no_network() -> Iterator[NetworkGuard]:
    """Block the network for the test; fail it if anything tried, even if caught."""
    with network_blocked() as guard:
        yield guard
    assert guard.attempts == [], f"the code tried to use the network: {guard.attempts}"


_SITECUSTOMIZE = f'''
"""Installed by tests/conftest_offline.py: the network is blocked in this process."""
import socket, sys

_MARKER = {MARKER!r}
_real = socket.socket
_local = getattr(socket, "AF_UNIX", None)


def _refuse(what):
    sys.stderr.write(_MARKER + ": " + what + "\\n")
    sys.stderr.flush()
    return OSError(_MARKER + ": " + what)


class _GuardedSocket(_real):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family != _local:
            raise _refuse("socket.socket")
        super().__init__(family, type, proto, fileno)


def _refusing(name):
    def refuse(*args, **kwargs):
        raise _refuse("socket." + name)
    return refuse


socket.socket = _GuardedSocket
for _name in {_LOOKUPS!r}:
    setattr(socket, _name, _refusing(_name))
'''


def offline_env(folder: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """An environment for a subprocess in which the network is blocked. Writes
    ``sitecustomize.py`` into ``folder`` and puts it first on PYTHONPATH; look for
    :data:`MARKER` in the child's stderr."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
    env = dict(os.environ if base is None else base)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(folder), env.get("PYTHONPATH", "")) if p)
    return env
