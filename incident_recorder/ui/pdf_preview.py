"""A window that shows a PDF exactly as it will print (a plan, a summary, a letter),
with page navigation, zoom, and Print… / Save as PDF… / Close.

It only shows the document and says what was asked: the window that opened it answers
``print_requested`` and ``save_requested`` (with ``print_pdf`` and ``save_pdf_as`` from
ui/printing.py), so the audit entry stays with the service that owns the document.
QtPdfWidgets is imported when the window is made, not when the app starts.
"""

from __future__ import annotations

import contextlib
import weakref

from PySide6.QtCore import QKeyCombination, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.ui.printing import LoadedPdf

# (label, zoom mode name, factor): the choices of the Zoom list, "Fit width" first.
ZOOMS: tuple[tuple[str, str, float], ...] = (
    ("Fit width", "FitToWidth", 1.0),
    ("Whole page", "FitInView", 1.0),
    ("50%", "Custom", 0.5),
    ("75%", "Custom", 0.75),
    ("100%", "Custom", 1.0),
    ("150%", "Custom", 1.5),
    ("200%", "Custom", 2.0),
)


class PdfPreviewDialog(QDialog):
    print_requested = Signal()
    save_requested = Signal()

    def __init__(self, data: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtPdfWidgets import QPdfView

        self._pdf = LoadedPdf(data)  # raises PrintingFailed if the bytes are not a PDF
        self.setWindowTitle(title)
        self.view = QPdfView(self)
        self.view.setAccessibleName(f"{title}: the document as it will print")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setDocument(self._pdf.document)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.previous_button = QPushButton("&Previous page", self)
        self.previous_button.setToolTip("Previous page (Page Up)")
        self.next_button = QPushButton("&Next page", self)
        self.next_button.setToolTip("Next page (Page Down)")
        self.page_label = QLabel(self)
        self.page_label.setAccessibleName("Page shown")
        self.zoom_label = QLabel("&Zoom:", self)
        self.zoom = QComboBox(self)
        self.zoom.setAccessibleName("Zoom")
        self.zoom_label.setBuddy(self.zoom)
        for label, _, _ in ZOOMS:
            self.zoom.addItem(label)
        self.print_button = QPushButton("P&rint…", self)
        self.print_button.setAccessibleName("Print the document")
        self.save_button = QPushButton("&Save as PDF…", self)
        self.save_button.setAccessibleName("Save the document as a PDF")
        self.close_button = QPushButton("Close", self)
        for button in (self.previous_button, self.next_button, self.save_button):
            button.setAutoDefault(False)
        self.close_button.setAutoDefault(False)
        self.print_button.setDefault(True)

        tools = QHBoxLayout()
        tools.addWidget(self.previous_button)
        tools.addWidget(self.next_button)
        tools.addWidget(self.page_label)
        tools.addStretch(1)
        tools.addWidget(self.zoom_label)
        tools.addWidget(self.zoom)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        outer = QVBoxLayout(self)
        outer.addLayout(tools)
        outer.addWidget(self.view, 1)
        outer.addLayout(buttons)

        self._shortcuts = [
            QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, self._on_next_button_clicked),
            QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, self._on_previous_button_clicked),
            QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_button.click),
            QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save_button.click),
            QShortcut(QKeySequence(QKeySequence.StandardKey.ZoomIn), self, self._zoom_in),
            QShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut), self, self._zoom_out),
            QShortcut(
                QKeySequence(
                    QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Equal)
                ),
                self,
                self._zoom_in,
            ),
        ]
        for shortcut in self._shortcuts:
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.setTabOrder(self.previous_button, self.next_button)
        self.setTabOrder(self.next_button, self.zoom)
        self.setTabOrder(self.zoom, self.view)
        self.setTabOrder(self.view, self.print_button)
        self.setTabOrder(self.print_button, self.save_button)
        self.setTabOrder(self.save_button, self.close_button)
        self._connect_signals()
        self._apply_zoom(0)
        self._show_page(0)
        self.resize(820, 960)

    def _connect_signals(self) -> None:
        self.previous_button.clicked.connect(self._on_previous_button_clicked)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.zoom.currentIndexChanged.connect(self._on_zoom_current_index_changed)
        # Through a weak reference: the navigator announces a page change while the view
        # is being destroyed, when this window may already be half gone (a crash, if
        # connected to the bound method directly).
        me = weakref.ref(self)

        def page_changed(page: int) -> None:
            window = me()
            if window is not None:
                with contextlib.suppress(RuntimeError):  # torn down as the app quits
                    window._on_navigator_current_page_changed(page)

        self._page_changed = page_changed
        self.view.pageNavigator().currentPageChanged.connect(page_changed)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.close_button.clicked.connect(self._on_close_button_clicked)

    # ------------------------------------------------------------------ pages

    def page_count(self) -> int:
        return self._pdf.pages

    def current_page(self) -> int:
        """The page shown, counting from 0."""
        return int(self.view.pageNavigator().currentPage())

    def go_to_page(self, page: int) -> None:
        page = max(0, min(page, self.page_count() - 1))
        from PySide6.QtCore import QPointF

        self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())
        self._show_page(page)

    def _show_page(self, page: int) -> None:
        total = self.page_count()
        self.page_label.setText(f"Page {page + 1} of {total}")
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < total - 1)

    @Slot()
    def _on_previous_button_clicked(self) -> None:
        self.go_to_page(self.current_page() - 1)

    @Slot()
    def _on_next_button_clicked(self) -> None:
        self.go_to_page(self.current_page() + 1)

    @Slot(int)
    def _on_navigator_current_page_changed(self, page: int) -> None:
        self._show_page(page)

    # ------------------------------------------------------------------ zoom

    def _apply_zoom(self, index: int) -> None:
        from PySide6.QtPdfWidgets import QPdfView

        _, mode, factor = ZOOMS[index]
        self.view.setZoomMode(getattr(QPdfView.ZoomMode, mode))
        if mode == "Custom":
            self.view.setZoomFactor(factor)

    @Slot(int)
    def _on_zoom_current_index_changed(self, index: int) -> None:
        if 0 <= index < len(ZOOMS):
            self._apply_zoom(index)

    def _zoom_in(self) -> None:
        self.zoom.setCurrentIndex(min(self.zoom.currentIndex() + 1, len(ZOOMS) - 1))

    def _zoom_out(self) -> None:
        self.zoom.setCurrentIndex(max(self.zoom.currentIndex() - 1, 0))

    # ------------------------------------------------------------------ buttons

    @Slot()
    def _on_print_button_clicked(self) -> None:
        self.print_requested.emit()

    @Slot()
    def _on_save_button_clicked(self) -> None:
        self.save_requested.emit()

    @Slot()
    def _on_close_button_clicked(self) -> None:
        self.accept()

    def done(self, result: int) -> None:
        # Closing (and WA_DeleteOnClose) stops the page updates before anything is torn down.
        with contextlib.suppress(RuntimeError, TypeError):
            self.view.pageNavigator().currentPageChanged.disconnect(self._page_changed)
        super().done(result)
