"""The child process of the migration kill test: brings the database in a data folder up
to this app's schema, as signing in does (SqlStoreFactory.upgrade: a backup first, then
one transaction per migration), printing each step as it is reached.

    python -m tests.integration.faults.migrator DATA_DIR STOP_AT

The data key comes (in hex) from $MIGRATOR_KEY. With STOP_AT >= 0 the process stops and
waits at that step (0 is the backup first, 1 the first statement, ...) until it is killed,
so the test kills it at a known moment in the middle of the migration; with -1 it runs to
the end and prints "done".
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from incident_recorder.store.database import SqlStoreFactory


def main() -> None:
    folder, stop_at = Path(sys.argv[1]), int(sys.argv[2])
    key = bytes.fromhex(os.environ["MIGRATOR_KEY"])
    steps = 0

    def report(done: int, total: int, text: str) -> None:
        nonlocal steps
        print(f"step {steps} ({done} of {total}): {text}", flush=True)
        if steps == stop_at:
            print("waiting", flush=True)
            while True:  # the test kills us here, in the middle of the migration
                time.sleep(1)
        steps += 1

    SqlStoreFactory(folder).upgrade(key, report)
    print(f"done after {steps} steps", flush=True)


if __name__ == "__main__":
    main()
