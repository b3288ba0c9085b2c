"""Saving and printing from the Reports screen: the seams a test replaces (a file
chosen with the system's Save dialog, written whole or not at all; a PDF printed from
memory)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from incident_recorder.domain.errors import FileNotWritten
from incident_recorder.infra.files import write_private
from incident_recorder.ui.prompter import Prompter

# (parent, bytes, proposed file name, dialog title, prompter) -> the path written, or
# None if cancelled or not written (the reason already shown).
SaveFile = Callable[[QWidget, bytes, str, str, Prompter], Path | None]
# (parent, proposed file name, dialog title) -> the path chosen, or None if cancelled.
ChoosePath = Callable[[QWidget, str, str], Path | None]
# (pdf bytes, parent, print job name) -> True once printed.
PrintPdf = Callable[..., bool]


def save_pdf(
    parent: QWidget, data: bytes, proposed: str, title: str, prompter: Prompter
) -> Path | None:
    from incident_recorder.ui.printing import save_pdf_as

    return save_pdf_as(parent, data, proposed, title, prompter)


def print_pdf(data: bytes, parent: QWidget, job_name: str, **options: Any) -> bool:
    from incident_recorder.ui.printing import print_pdf as printed

    return printed(data, parent, job_name, **options)


def choose_csv_path(parent: QWidget, proposed: str, title: str) -> Path | None:
    """The system's Save dialog in Documents; the name always ends in .csv. None if
    cancelled."""
    from incident_recorder.ui.printing import documents_folder

    name, _ = QFileDialog.getSaveFileName(
        parent, title, str(documents_folder() / proposed), "CSV files (*.csv)"
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".csv" else path.with_name(path.name + ".csv")


def write_file(path: Path, data: bytes, title: str, prompter: Prompter) -> bool:
    """Write ``data`` whole or not at all; False (the reason shown) if it could not be."""
    try:
        write_private(path, data)
    except FileNotWritten as error:
        prompter.warn(
            title, f"The file could not be saved there: {error.reason}. Try another folder."
        )
        return False
    return True
