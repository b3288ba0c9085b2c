"""The letter wording: the shipped default is version 0; administrators save versions."""

from __future__ import annotations

import pytest

from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.infra.letter_resources import default_letter_template
from incident_recorder.services.letter_templates import LetterTemplateService
from tests.fakes import RENDERER, new_school, sign_in_as


def test_versions_start_from_the_shipped_default_and_are_kept() -> None:
    school = new_school()
    admin = LetterTemplateService(school.admin, default_letter_template(), RENDERER)
    default = admin.current()
    assert default.version == 0 and "{child}" in default.text
    first = admin.save(default.text + "\nWith best wishes from all of us.\n")
    assert first.version == 1 and admin.current() == first
    assert admin.save(first.text) == first  # unchanged wording: no new version
    with pytest.raises(InvalidInput, match="needs fixing"):
        admin.save("Dear {chlid}")
    assert [t.version for t in admin.history()] == [1, 0]
    assert admin.version(0).text == default.text


def test_only_administrators_change_the_wording() -> None:
    school = new_school()
    staff = LetterTemplateService(
        sign_in_as(school, "e.wright"), default_letter_template(), RENDERER
    )
    with pytest.raises(NotAllowed):
        staff.save(staff.current().text + "\nThanks.\n")
