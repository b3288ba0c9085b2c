"""The Reports screen over the real report service and real encrypted files: a lead's
figures worked out on a worker's own connection, the records behind a figure, the
governors' report made as a real PDF, kept and printed again byte for byte, and the
anonymised CSV saved where chosen. Everyone named here is fictional."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from incident_recorder.domain.model import Incident
from incident_recorder.domain.oversight.facts import Period
from incident_recorder.services.session import Session
from incident_recorder.ui.background import Background
from incident_recorder.ui.pdf_preview import PdfPreviewDialog
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.reports.window import ReportsWindow
from tests.fakes import services_for
from tests.gui.conftest import INCIDENT_DAY

SPRING = Period(date(2026, 1, 5), date(2026, 3, 27), "This term: Spring term 2026")


def test_a_leads_figures_records_governors_report_and_export_from_the_real_store(
    qtbot: QtBot,
    session: Session,
    submit_record: Callable[..., Incident],
    prompter: ScriptedPrompter,
    tmp_path: Path,
) -> None:
    first = submit_record("Leo Fernandes")
    submit_record("Leo Fernandes", day=date(2026, 3, 18))
    submit_record("Maya Chen", day=date(2026, 2, 3))
    services = services_for(session)
    background = Background(services, prompter, None, show_after_ms=60_000)
    opened: list[int] = []
    saved: list[bytes] = []
    printed: list[bytes] = []
    csv_path = tmp_path / "for the trust.csv"

    def save_pdf(_parent: Any, data: bytes, _name: str, _title: str, _p: Any) -> Path:
        saved.append(data)
        return tmp_path / "governors.pdf"

    def print_pdf(data: bytes, *_args: Any, **_options: Any) -> bool:
        printed.append(data)
        return True

    window = ReportsWindow(
        services.reports, background, lambda: (SPRING,), opened.append, prompter,
        save_pdf_file=save_pdf, choose_csv=lambda *_a: csv_path,
        print_file=print_pdf,
    )  # fmt: skip
    qtbot.addWidget(window)
    window.show()
    try:
        window.show_button.click()
        qtbot.waitUntil(lambda: window.status.text().startswith("Figures for"), timeout=20_000)
        assert window.result is not None
        assert window.result.report.totals.incidents == 3
        assert window.summary.model.rows[0].cells[1].startswith("3")
        # The records behind "Recorded the same day" open from the compliance page.
        figure = window.compliance.model.rows[0]
        assert figure.references and first.reference in figure.references
        dialog = window.show_records(figure.cells[0], figure.references)
        assert dialog is not None
        references = [r.cells[0] for r in dialog.model.rows]
        assert first.reference in references
        dialog.table.setCurrentIndex(dialog.model.index(references.index(first.reference), 0))
        dialog.open_button.click()
        assert opened == [first.id]
        dialog.close()
        # Repeated pupils: Leo twice, named for a lead.
        assert [r.cells for r in window.patterns.repeated_model.rows] == [("Leo Fernandes", "2")]
        # The governors' report: a real PDF, kept, then printed again byte for byte.
        window.governors.boxes["impact"].setPlainText("Calmer lunchtimes for the youngest.")
        prompter.choice_answers.append(0)  # Save as PDF…
        window.governors.make_button.click()
        qtbot.waitUntil(lambda: bool(saved), timeout=20_000)
        assert saved[0].startswith(b"%PDF")
        from io import BytesIO

        text = " ".join(p.extract_text() for p in PdfReader(BytesIO(saved[0])).pages)
        assert "Calmer lunchtimes for the youngest." in text
        assert "Leo" not in text and "Fernandes" not in text
        assert window.governors.saved_model.rowCount() == 1
        window.governors.print_again.click()
        assert printed == saved
        # A second report, looked at first: the preview's own Save as PDF… saves it.
        prompter.choice_answers.append(2)  # Preview…
        window.governors.make_button.click()
        qtbot.waitUntil(lambda: window.outputs.preview_dialog is not None, timeout=20_000)
        preview = window.outputs.preview_dialog
        assert isinstance(preview, PdfPreviewDialog) and preview.isVisible()
        preview.save_button.click()
        assert len(saved) == 2 and saved[1].startswith(b"%PDF")
        preview.close()
        assert window.governors.saved_model.rowCount() == 2
        # The data for the local authority or trust, saved where chosen.
        window.export_button.click()
        qtbot.waitUntil(csv_path.exists, timeout=20_000)
        exported = csv_path.read_text(encoding="utf-8-sig")
        assert "Fernandes" not in exported and first.reference not in exported
        kinds = [line.split(",", 1)[0] for line in exported.strip().splitlines()[1:]]
        assert kinds.count("incident") == 3 and kinds.count("pupil") >= 2
        assert INCIDENT_DAY.isoformat() in exported
    finally:
        background.stop_all(10_000)
        window.close()
