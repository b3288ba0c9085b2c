"""The first two pages of the pupil import: choose the CSV file, then check which
column each field is read from (recognised from the header, changeable by the user)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.mis_import import (
    REQUIRED,
    CsvTable,
    MisField,
    guess_mapping,
    missing_required,
    read_table,
)
from incident_recorder.ui.style import ERROR_COLOUR

ERROR_STYLE = f"color: {ERROR_COLOUR};"

FileChooser = Callable[[QWidget], Path | None]
NOT_IN_FILE = "(not in the file)"
SAMPLE_ROWS = 3

_LABELS = {
    MisField.UPN: "UPN",
    MisField.LAST_NAME: "Legal surname",
    MisField.FIRST_NAME: "Legal first name",
    MisField.FULL_NAME: "Full name (if no surname and first name columns)",
    MisField.PREFERRED_NAME: "Preferred first name",
    MisField.DATE_OF_BIRTH: "Date of birth",
    MisField.YEAR_GROUP: "Year group",
    MisField.CLASS_NAME: "Class or registration group",
    MisField.SEX: "Sex",
    MisField.ETHNICITY: "Ethnicity",
    MisField.SEN_STATUS: "SEN status",
    MisField.PRIMARY_NEED: "Primary need",
    MisField.LOOKED_AFTER: "Looked after",
    MisField.PREVIOUSLY_LOOKED_AFTER: "Previously looked after",
    MisField.KINSHIP_CARE: "Kinship care",
    MisField.CHILD_IN_NEED: "Child in need",
    MisField.CHILD_PROTECTION_PLAN: "Child protection plan",
    MisField.FREE_SCHOOL_MEALS: "Free school meals",
    MisField.PUPIL_PREMIUM: "Pupil premium",
    MisField.EAL: "English as an additional language",
    MisField.FIRST_LANGUAGE: "First language",
    MisField.JOINED_ON: "Admission date (first day on roll)",
}
_CONTACT_PARTS = {
    "name": "full name",
    "title": "title",
    "forename": "first name",
    "surname": "surname",
    "relationship": "relationship",
    "parental_responsibility": "parental responsibility",
    "receives_correspondence": "receives correspondence",
    "lives_with_pupil": "lives with the pupil",
    "priority": "priority",
    "phone": "phone",
    "mobile": "mobile phone",
    "home_phone": "home phone",
    "work_phone": "work phone",
    "email": "email",
    "preferred_language": "preferred language",
    "house_name": "house name or flat",
    "house_number": "house number",
    "address": "address (or its first line)",
    "address_line2": "address line 2",
    "address_line3": "address line 3",
    "town": "town",
    "county": "county",
    "postcode": "postcode",
}


def field_label(fld: MisField) -> str:
    if fld in _LABELS:
        return _LABELS[fld]
    number, part = fld.value[len("contact") :].split("_", 1)
    return f"Parent or carer {number}: {_CONTACT_PARTS[part]}"


def choose_csv(parent: QWidget) -> Path | None:
    """Ask for a CSV file with the standard file dialog."""
    name, _ = QFileDialog.getOpenFileName(
        parent, "Choose the pupils' CSV file", "", "CSV files (*.csv *.txt);;All files (*)"
    )
    return Path(name) if name else None


class FilePage(QWizardPage):
    """Choose the file; a file that is not a readable table is explained here."""

    def __init__(self, chooser: FileChooser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chooser = chooser
        self.data: bytes | None = None
        self.table: CsvTable | None = None
        self.setTitle("Choose the file")
        self.setSubTitle(
            "Export the pupils from your school's information system (SIMS, Arbor, "
            "Bromcom or another) as a CSV file, then choose it here. Nothing is changed "
            "until you have checked what the import will do."
        )
        self.choose_button = QPushButton("&Choose a CSV file…")
        self.choose_button.setAccessibleName("Choose a CSV file")
        self.file_label = QLabel("No file chosen yet.")
        self.file_label.setWordWrap(True)
        self.file_label.setAccessibleName("Chosen file")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAccessibleName("Problem with the file")
        self.error.hide()
        row = QHBoxLayout()
        row.addWidget(self.choose_button)
        row.addWidget(self.file_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.choose_button.clicked.connect(self._on_choose_button_clicked)

    def isComplete(self) -> bool:
        return self.table is not None

    def load(self, path: Path) -> None:
        """Read ``path``; show a plain message if it cannot be used."""
        self.data, self.table = None, None
        self.file_label.setText(path.name)
        try:
            data = path.read_bytes()
            table = read_table(data)
            if not table.rows:
                raise BadImportFile("The file has a header row but no pupils in it.")
        except OSError:
            self._show_error("This file could not be opened. Check it is not open elsewhere.")
        except BadImportFile as error:
            self._show_error(str(error))
        else:
            self.data, self.table = data, table
            self.error.hide()
        self.completeChanged.emit()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setAccessibleDescription(message)
        self.error.show()

    @Slot()
    def _on_choose_button_clicked(self) -> None:
        path = self._chooser(self)
        if path is not None:
            self.load(path)


class MappingPage(QWizardPage):
    """One row per field: the column it is read from, and sample values."""

    def __init__(self, file_page: FilePage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._file_page = file_page
        self.combos: dict[MisField, QComboBox] = {}
        self.samples: dict[MisField, QLabel] = {}
        self.setTitle("Check the columns")
        self.setSubTitle(
            "Each field is read from the column shown. Columns with common names are "
            "recognised; change any that are wrong, or choose “(not in the file)”."
        )
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(ERROR_STYLE)
        self.hint.setAccessibleName("Missing columns")
        grid_widget = QWidget()
        self.grid = QGridLayout(grid_widget)
        self.grid.setColumnStretch(2, 1)
        for column, heading in enumerate(("Field", "Read from the column", "First values")):
            title = QLabel(f"<b>{heading}</b>")
            self.grid.addWidget(title, 0, column)
        for row, fld in enumerate(MisField, start=1):
            combo = QComboBox()
            combo.setAccessibleName(f"Column for {field_label(fld)}")
            required = " (needed)" if fld in REQUIRED else ""
            label = QLabel(f"{field_label(fld)}{required}:")
            label.setBuddy(combo)
            sample = QLabel()
            sample.setAccessibleName(f"First values for {field_label(fld)}")
            sample.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            sample.setWordWrap(True)
            self.grid.addWidget(label, row, 0)
            self.grid.addWidget(combo, row, 1)
            self.grid.addWidget(sample, row, 2)
            self.combos[fld] = combo
            self.samples[fld] = sample
            combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(grid_widget)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.hint)

    def initializePage(self) -> None:
        table = self._file_page.table
        if table is None:
            return
        mapping = guess_mapping(table.header)
        for fld, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NOT_IN_FILE, "")
            for column in table.header:
                if column:
                    combo.addItem(column, column)
            found = combo.findData(mapping.get(fld, ""))
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)
        self._refresh()

    def column_of(self, fld: MisField) -> str:
        return str(self.combos[fld].currentData() or "")

    def overrides(self) -> dict[str, str]:
        """The user's mapping, every field given (an empty column: not read)."""
        return {fld.value: self.column_of(fld) for fld in MisField}

    def mapping(self) -> dict[MisField, str]:
        return {fld: column for fld in MisField if (column := self.column_of(fld))}

    def isComplete(self) -> bool:
        return not missing_required(self.mapping())

    def _refresh(self) -> None:
        table = self._file_page.table
        for fld, sample in self.samples.items():
            column = self.column_of(fld)
            if table is None or not column:
                sample.setText("")
                continue
            index = table.header.index(column)
            values = [cells[index] for _, cells in table.rows[:SAMPLE_ROWS] if index < len(cells)]
            sample.setText(", ".join(v or "(blank)" for v in values))
        missing = [field_label(f) for f in missing_required(self.mapping())]
        self.hint.setText(
            "Choose the column for: " + ", ".join(missing) + ". The import needs it."
            if missing
            else ""
        )
        self.hint.setVisible(bool(missing))
        self.completeChanged.emit()

    @Slot(int)
    def _on_combo_current_index_changed(self, _index: int) -> None:
        self._refresh()
