"""``incident-recorder record REF [--for-parents] -o FILE.pdf`` on the fictional demo:
the PDF's text read back, the parents' copy cut down, and the refusal to overwrite."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader

from tests.e2e.conftest import Run


def _text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _reference(cli: Run, demo: Path) -> str:
    listed = cli("list", "--data-dir", demo)
    assert listed.code == 0, listed.err
    found = re.search(r"^(\d{4}-\d{4})\s", listed.out, re.MULTILINE)
    assert found is not None
    return found.group(1)


def test_record_prints_both_copies_and_refuses_to_overwrite(
    demo: Path, cli: Run, tmp_path: Path
) -> None:
    reference = _reference(cli, demo)
    full, parents = tmp_path / "full.pdf", tmp_path / "parents.pdf"
    made = cli("record", reference, "-o", full, "--data-dir", demo)
    assert made.code == 0, made.err
    assert reference in made.out
    text = _text(full)
    assert "Full record — for the school's files" in text
    assert f"Record {reference}" in text
    assert "The incident in time order" in text
    assert "History of this record" in text
    assert re.search(r"Page 1 of \d+", text)

    copy = cli("record", reference, "--for-parents", "-o", parents, "--data-dir", demo)
    assert copy.code == 0, copy.err
    text = _text(parents)
    assert "Copy for parents and carers" in text
    assert "The incident in time order" not in text
    assert "Staff debrief" not in text

    again = cli("record", reference, "-o", full, "--data-dir", demo)
    assert again.code == 2
    assert "already exists" in again.err and len(again.err.strip().splitlines()) == 1
    missing = cli("record", "1999-9999", "-o", tmp_path / "x.pdf", "--data-dir", demo)
    assert missing.code == 2 and "1999-9999" in missing.err
    assert not (tmp_path / "x.pdf").exists()


def test_the_school_office_prints_the_copy_for_parents_only(
    demo: Path, cli: Run, tmp_path: Path
) -> None:
    """Issue 13: the demo's office account (d.whitlow, the demo passphrase) saves the copy
    for parents of a record it cannot read in full; the full record is refused in words."""
    from incident_recorder.services.demo import DEMO_PASSPHRASE

    listed = cli("list", "--data-dir", demo)
    references = re.findall(r"^(\d{4}-\d{4})\s", listed.out, re.MULTILINE)
    office = ("--data-dir", demo, "--user", "d.whitlow")
    parents = tmp_path / "parents.pdf"
    for reference in references[:8]:  # a record withheld for the child's safety has none
        copy = cli(
            "record", reference, "--for-parents", "-o", parents, *office,
            passphrase=DEMO_PASSPHRASE,
        )  # fmt: skip
        if copy.code == 0:
            break
        assert "You do not have access to this record." in copy.err
    assert copy.code == 0, copy.err
    text = _text(parents)
    assert "Copy for parents and carers" in text and "The incident in time order" not in text
    full = cli(
        "record", reference, "-o", tmp_path / "full.pdf", *office, passphrase=DEMO_PASSPHRASE
    )
    assert full.code == 2 and not (tmp_path / "full.pdf").exists()
    assert full.err.strip() == "Your account can see the copy for parents, not the full record."
