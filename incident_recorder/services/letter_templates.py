"""The school's letter wording: the shipped default (version 0) until an administrator
saves their own; each save is a new version, kept, and each letter stores the version
it was made from."""

from __future__ import annotations

import hashlib

from incident_recorder.domain.documents import (
    DEFAULT_TEMPLATE_VERSION,
    LetterTemplateVersion,
    Pdf,
)
from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.letter_sample import sample_letter
from incident_recorder.domain.letters import check_template, template_cautions
from incident_recorder.domain.model import Role
from incident_recorder.services.ports import DocumentRenderer
from incident_recorder.services.session import Session


def default_template(text: str) -> LetterTemplateVersion:
    """The wording shipped in resources/letters/default_letter.txt (``text``: read by
    ``infra.letter_resources.default_letter_template``), as version 0."""
    return LetterTemplateVersion(
        version=DEFAULT_TEMPLATE_VERSION,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


class LetterTemplateService:
    def __init__(self, session: Session, shipped_text: str, renderer: DocumentRenderer) -> None:
        """``shipped_text``: the default wording shipped with the app
        (``infra.letter_resources.default_letter_template()``); ``renderer`` makes the
        sample letter's PDF."""
        self._s = session
        self._shipped = shipped_text
        self._renderer = renderer

    def current(self) -> LetterTemplateVersion:
        """The wording letters are made from now: the newest saved version, else the
        shipped default (version 0)."""
        return self._s.store.documents.current_template() or default_template(self._shipped)

    def version(self, number: int) -> LetterTemplateVersion:
        """A version by number (0: the shipped default). NotFound if never saved."""
        if number == DEFAULT_TEMPLATE_VERSION:
            return default_template(self._shipped)
        return self._s.store.documents.template(number)

    def history(self) -> list[LetterTemplateVersion]:
        """Every saved version, newest first, then the shipped default."""
        return [*self._s.store.documents.templates(), default_template(self._shipped)]

    def problems(self, text: str) -> list[str]:
        """What is wrong with ``text`` as letter wording, in plain words ([] if none)."""
        return check_template(text)

    def sample_pdf(self, text: str) -> Pdf:
        """A letter in ``text``'s wording about a made-up child, on the school's real
        letterhead with its logo, signatory and contact (the editor's live preview).
        InvalidInput if the wording has problems."""
        settings = self._s.settings()
        content = sample_letter(
            text, settings.school, settings.letters, self._s.store.documents.logo()
        )
        return self._renderer.letter(content)

    def cautions(self, text: str) -> list[str]:
        """Where a usable wording cannot tell every family the whole truth (no place
        for time on the floor, "held" whatever happened): shown, but saving is allowed."""
        return template_cautions(text)

    def save(self, text: str) -> LetterTemplateVersion:
        """Save ``text`` as the next version (administrators only). InvalidInput with
        every problem when the wording cannot be used; saving the wording in use again
        changes nothing and returns the current version."""
        self._s.require(Role.ADMINISTRATOR, action="change the wording of letters to parents")
        problems = check_template(text)
        if problems:
            raise InvalidInput("The letter wording needs fixing: " + " ".join(problems))
        current = self.current()
        if text == current.text:
            return current
        saved = self._s.store.documents.add_template(text, self._s.user.id, self._s.clock.now())
        self._s.audit("letter_template_saved", None, f"version {saved.version}", saved.sha256)
        return saved
