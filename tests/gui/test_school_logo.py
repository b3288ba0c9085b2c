"""Administration ▸ School details and letters…: choosing the school's logo (PNG or
JPEG, scaled down to 600 x 300 pixels and kept as PNG), its preview, and Remove."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtGui import QColor, QImage

from incident_recorder.services.accounts import AccountService
from incident_recorder.services.session import Session
from incident_recorder.services.settings import PNG_SIGNATURE, SettingsService
from incident_recorder.ui.settings_dialog import NO_LOGO, SchoolSettingsDialog
from tests.gui.conftest import ADMIN, PASSPHRASE


@pytest.fixture
def admin(account_service: AccountService) -> Iterator[Session]:
    session = account_service.sign_in(ADMIN, PASSPHRASE)
    yield session
    session.close()


@pytest.fixture
def dialog(qtbot: QtBot, admin: Session) -> SchoolSettingsDialog:
    made = SchoolSettingsDialog(SettingsService(admin))
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    return made


def complete(dialog: SchoolSettingsDialog) -> SchoolSettingsDialog:
    """The letter settings a save needs besides the logo."""
    dialog.signatory_name.setText("Ms Adaeze Mensah")
    dialog.contact_name.setText("Mr Gethin Evans")
    return dialog


def picture(path: Path, width: int, height: int) -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#1F3A5F"))
    assert image.save(str(path))  # the format from the name
    return path


def test_a_jpeg_is_scaled_down_shown_and_saved_as_png(
    tmp_path: Path, dialog: SchoolSettingsDialog, admin: Session
) -> None:
    assert dialog.logo_preview.text() == NO_LOGO
    assert not dialog.remove_logo_button.isEnabled()
    assert dialog.choose_logo_file(picture(tmp_path / "crest.jpg", 1800, 600))
    assert not dialog.logo_preview.pixmap().isNull()
    assert dialog.remove_logo_button.isEnabled()
    complete(dialog).buttons.accepted.emit()
    assert dialog.message.text() == ""
    saved = SettingsService(admin).logo()
    assert saved is not None and saved.startswith(PNG_SIGNATURE)
    stored = QImage.fromData(saved)
    assert (stored.width(), stored.height()) == (600, 200)


def test_remove_takes_the_logo_away_on_save(qtbot: QtBot, tmp_path: Path, admin: Session) -> None:
    service = SettingsService(admin)
    first = SchoolSettingsDialog(service)
    qtbot.addWidget(first)
    first.choose_logo_file(picture(tmp_path / "crest.png", 120, 80))
    complete(first).buttons.accepted.emit()
    assert service.logo() is not None
    again = SchoolSettingsDialog(service)
    qtbot.addWidget(again)
    assert not again.logo_preview.pixmap().isNull()
    again.remove_logo_button.click()
    assert again.logo_preview.text() == NO_LOGO
    again.buttons.accepted.emit()
    assert service.logo() is None


def test_a_file_that_is_not_a_picture_is_refused_plainly(
    tmp_path: Path, dialog: SchoolSettingsDialog
) -> None:
    not_a_picture = tmp_path / "crest.png"
    not_a_picture.write_text("not a picture")
    assert not dialog.choose_logo_file(not_a_picture)
    assert "PNG or JPEG" in dialog.message.text()
    assert dialog.chosen_logo() == b""  # nothing changes
