"""``incident-recorder letter REF [--pupil UPN] -o FILE.pdf`` on the fictional demo: one
file per copy, the letter's text read back (never the internal account), each copy
recorded in the audit log, and plain one-line refusals."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader

from tests.e2e.conftest import Run


def _text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_letter_writes_each_copy_and_refuses_plainly(demo: Path, cli: Run, tmp_path: Path) -> None:
    listed = cli("list", "--data-dir", demo)
    assert listed.code == 0, listed.err
    references = re.findall(r"^(\d{4}-\d{4})\s", listed.out, re.MULTILINE)
    made: list[Path] = []
    for reference in references[:6]:
        target = tmp_path / f"letter-{reference}.pdf"
        done = cli("letter", reference, "-o", target, "--data-dir", demo)
        if done.code != 0:
            # Withheld for the child's safety: refused in one plain line.
            assert "withheld for the child's safety" in done.err, done.err
            assert len(done.err.strip().splitlines()) == 1
            continue
        assert reference in done.out
        files = sorted(tmp_path.glob(f"letter-{reference}*.pdf"))
        assert files and all(f.read_bytes().startswith(b"%PDF") for f in files)
        if len(files) > 1:
            assert [f.name for f in files] == [
                f"letter-{reference}-{n}.pdf" for n in range(1, len(files) + 1)
            ]
        made += files
        text = _text(files[0])
        assert "Dear " in text and f"Our reference: {reference}" in text
        assert "What happened" in text and "Why we needed to step in" in text
        assert re.search(r"Page 1 of \d+", text)
    assert made, "no demo letter could be made"

    first = made[0]
    again = cli("letter", first.stem.removeprefix("letter-")[:9], "-o", first, "--data-dir", demo)
    assert again.code == 2 and "already exists" in again.err
    missing = cli("letter", "1999-9999", "-o", tmp_path / "x.pdf", "--data-dir", demo)
    assert missing.code == 2 and "1999-9999" in missing.err
    assert not (tmp_path / "x.pdf").exists()
    wrong = cli(
        "letter",
        references[0],
        "--pupil",
        "Z999999999999",
        "-o",
        tmp_path / "y.pdf",
        "--data-dir",
        demo,
    )
    assert wrong.code == 2 and "UPN Z999999999999" in wrong.err
