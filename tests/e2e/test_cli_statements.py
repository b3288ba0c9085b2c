"""``statements list`` and ``statements write`` in subprocesses, on the demo: the SENCO
(a.robertson) sees the statements asked of her, writes one from a text file (then a
second version), says she has nothing to add to another, and a record she was not
asked about is refused in one plain line (exit 2). Everyone is fictional."""

from __future__ import annotations

from pathlib import Path

from incident_recorder.services.demo import DEMO_PASSPHRASE
from tests.e2e.conftest import Run

SENCO = "a.robertson"


def _lines(cli: Run, demo: Path) -> list[str]:
    listed = cli("statements", "list", "--user", SENCO, "--data-dir", demo,
                 passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert listed.code == 0, listed.err
    return listed.out.splitlines()


def _waiting(cli: Run, demo: Path) -> list[str]:
    return [line.split()[0] for line in _lines(cli, demo) if "not yet given" in line]


def test_a_member_of_staff_writes_and_revises_a_statement_from_the_command_line(
    cli: Run, demo: Path, tmp_path: Path
) -> None:
    waiting = _waiting(cli, demo)
    answered = [x.split()[0] for x in _lines(cli, demo) if "not yet given" not in x]
    assert waiting and answered, (waiting, answered)
    account = tmp_path / "account.txt"
    account.write_text("I saw the pupil run towards the door at 10:05.\n", encoding="utf-8")
    args = ("--user", SENCO, "--data-dir", demo)
    first = cli("statements", "write", waiting[0], "--text-file", account, *args,
                passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert first.code == 0, first.err
    assert first.out.strip() == f"Record {waiting[0]}: saved version 1 of your statement."
    again = cli("statements", "write", waiting[0], "--text-file", account, *args,
                passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert "saved version 2" in again.out
    nothing = cli("statements", "write", answered[0], "--nothing-to-add", *args,
                  passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert nothing.code == 0 and "nothing to add" in nothing.out
    assert _waiting(cli, demo) == waiting[1:]
    assert any(x.startswith(answered[0]) and "Had nothing to add" in x for x in _lines(cli, demo))
    listed = cli("statements", "list", *args, passphrase=DEMO_PASSPHRASE)
    line = next(x for x in listed.out.splitlines() if x.startswith(waiting[0]))
    assert "(version 2)" in line
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    refused = cli("statements", "write", waiting[0], "--text-file", empty, *args,
                  passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert refused.code == 2 and "Please write your account" in refused.err
    assert "Traceback" not in refused.err


def test_a_record_not_asked_about_is_refused_plainly(cli: Run, demo: Path) -> None:
    listed = cli("list", "--user", SENCO, "--data-dir", demo, passphrase=DEMO_PASSPHRASE)
    mine = cli("statements", "list", "--user", SENCO, "--data-dir", demo,
               passphrase=DEMO_PASSPHRASE)  # fmt: skip
    asked = {line.split()[0] for line in mine.out.splitlines()}
    other = next(
        word for line in listed.out.splitlines() for word in line.split()[:1]
        if word[:2] == "20" and word not in asked
    )  # fmt: skip
    result = cli("statements", "write", other, "--nothing-to-add", "--user", SENCO,
                 "--data-dir", demo, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 2, (result.out, result.err)
    assert result.err.strip() == f"You were not asked for a statement on record {other}."
