"""Draw the application icon: a shield holding a lined notebook page with a tick.

Run once after changing the design (the results are committed):
``python installer/make_icon.py`` writes resources/icons/app.png (256 px), the window
icon incident-recorder.png (the same image) and app.ico (16-256 px, PNG-compressed
entries, which Windows Vista and later read).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
NAVY = QColor("#1f3a5f")
TEAL = QColor("#2a9d8f")
PAPER = QColor("#fbfaf5")
LINE = QColor("#9fb3c8")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)
    shield = QPainterPath()
    shield.moveTo(128, 10)
    shield.cubicTo(170, 34, 206, 40, 236, 40)
    shield.cubicTo(236, 150, 200, 210, 128, 248)
    shield.cubicTo(56, 210, 20, 150, 20, 40)
    shield.cubicTo(50, 40, 86, 34, 128, 10)
    p.fillPath(shield, NAVY)
    page = QRectF(72, 56, 112, 140)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(PAPER)
    p.drawRoundedRect(page, 10, 10)
    if size >= 32:
        p.setPen(QPen(LINE, 7, c=Qt.PenCapStyle.RoundCap))
        for y in (88, 112, 136):
            p.drawLine(QPointF(90, y), QPointF(166, y))
    tick = QPainterPath(QPointF(98, 160))
    tick.lineTo(120, 182)
    tick.lineTo(164, 134)
    p.setPen(
        QPen(TEAL, 18 if size >= 32 else 26, c=Qt.PenCapStyle.RoundCap, j=Qt.PenJoinStyle.RoundJoin)
    )
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(tick)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico_bytes(images: list[QImage]) -> bytes:
    blobs = [png_bytes(i) for i in images]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for image, blob in zip(images, blobs, strict=True):
        side = image.width() % 256  # 0 means 256
        out += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    return out + b"".join(blobs)


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICONS.mkdir(parents=True, exist_ok=True)
    big = png_bytes(draw(256))
    (ICONS / "app.png").write_bytes(big)
    (ICONS / "incident-recorder.png").write_bytes(big)
    (ICONS / "app.ico").write_bytes(ico_bytes([draw(s) for s in SIZES]))
    print(f"wrote {ICONS}/app.png, incident-recorder.png, app.ico")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
