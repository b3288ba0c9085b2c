"""``incident-recorder rotate-key``: re-encrypt the database and every backup under a new
data key (after an account is switched off), as the Accounts screen offers."""

from __future__ import annotations

import argparse
import os

from incident_recorder.cli_commands.common import (
    ENV_NEW_PASSPHRASE,
    EXIT_OK,
    new_passphrase,
    signed_in,
)


class _Printed:
    """The Progress protocol for a terminal: one line per new step."""

    def __init__(self) -> None:
        self._last = ""

    def step(self, done: int, total: int, text: str = "") -> None:
        if text and text != self._last and text != "Done":
            self._last = text
            print(f"{text}…", flush=True)

    def cancelled(self) -> bool:
        return False


def cmd_rotate_key(args: argparse.Namespace) -> int:
    from incident_recorder.domain.errors import NotAllowed

    with signed_in(args) as opened:
        rotation = opened.services.key_rotation
        if rotation is None:
            raise NotAllowed("The key cannot be changed from this data folder.")
        plan = rotation.plan()
        temporary: dict[str, str] = {}
        for waiting in plan.need_passphrase:
            # One given passphrase for all of them, or each typed twice.
            if os.environ.get(ENV_NEW_PASSPHRASE) is None:
                print(
                    f"{waiting.username} ({waiting.full_name}) has not signed in since this "
                    "version was installed, so needs a temporary passphrase."
                )
            temporary[waiting.username] = new_passphrase(ENV_NEW_PASSPHRASE, waiting.username)
        outcome = rotation.rotate(temporary, args.new_recovery_code, _Printed())
        deleted: list[str] = []
        if args.delete_old_backups and outcome.not_rotated:
            paths = [n.path for n in outcome.not_rotated]
            failed = rotation.delete_backups(paths)
            deleted = [p for p in paths if p not in failed]
    rotated = len(outcome.rotated_backups)
    print(
        f"The records and {rotated} backup{'s' if rotated != 1 else ''} are now under a new "
        f"key. Accounts that open them: {', '.join(outcome.accounts)}."
    )
    for name in outcome.temporary:
        print(f"Tell {name} their temporary passphrase in person.")
    if outcome.recovery_code:
        print(
            f"New recovery code (write it down; the old one no longer works): "
            f"{outcome.recovery_code}"
        )
    for folder in outcome.unreachable:
        print(
            f"Not reachable now: {folder}. The backups there are still under the old key: "
            "delete them when it is connected again."
        )
    for item in outcome.not_rotated:
        state = "deleted" if item.path in deleted else "still there: delete it"
        print(f"Not re-encrypted: {item.path} ({state}). {item.reason}")
    return EXIT_OK
