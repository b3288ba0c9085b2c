"""The one canvas that says "Page n of N": it holds every page back until the document
is finished, then draws each page's furniture (footer, running header) knowing the total.

Used by the letter, the printable record and the behaviour support plan; each says what
to draw on a page with a ``decorate(canvas, number, total)`` function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Decorate = Callable[[Any, int, int], None]


def numbered_canvas(decorate: Decorate) -> Any:
    """A reportlab canvas class (for ``doc.build(..., canvasmaker=...)``) that calls
    ``decorate(canvas, page_number, total_pages)`` on each page before it is written."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                decorate(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas
