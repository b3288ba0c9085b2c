"""Help ▸ User guide: the guide bundled in resources/help, shown from local files.

Nothing is fetched: QTextBrowser reads the HTML from the app's own folder, follows links
inside the guide, and ignores any other link (no browser is opened)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.infra.paths import resources_dir

MISSING = (
    "<h1>The user guide is missing</h1><p>The guide should be in the app's folder "
    "(<code>{path}</code>). Please ask your IT support to repair the installation.</p>"
)


def guide_file() -> Path:
    return resources_dir() / "help" / "index.html"


class GuideDialog(QDialog):
    def __init__(self, file: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file = file or guide_file()
        self.setWindowTitle("Incident Recorder: user guide")
        layout = QVBoxLayout(self)
        label = QLabel("&User guide:")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)  # links are checked in the slot below
        label.setBuddy(self.browser)
        layout.addWidget(label)
        layout.addWidget(self.browser)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.contents_button = QPushButton("C&ontents")
        self.contents_button.setAccessibleName("Back to the contents")
        self.buttons.addButton(self.contents_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self.show_contents()
        self.resize(760, 640)

    def _connect_signals(self) -> None:
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.contents_button.clicked.connect(self._on_contents_button_clicked)
        self.buttons.rejected.connect(self.reject)

    def show_contents(self) -> None:
        if self.file.is_file():
            self.browser.setSearchPaths([str(self.file.parent)])
            self.browser.setSource(QUrl.fromLocalFile(str(self.file)))
        else:
            self.browser.setHtml(MISSING.format(path=self.file))

    @Slot(QUrl)
    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        """Follow links within the guide's own files; anything else is ignored."""
        if url.isRelative() and not url.path():
            self.browser.scrollToAnchor(url.fragment())
            return
        target = url if not url.isRelative() else self.browser.source().resolved(url)
        if target.isLocalFile() and Path(target.toLocalFile()).resolve().is_relative_to(
            self.file.parent.resolve()
        ):
            self.browser.setSource(target)

    @Slot()
    def _on_contents_button_clicked(self) -> None:
        self.show_contents()
        self.browser.scrollToAnchor("")
        self.browser.verticalScrollBar().setValue(0)
