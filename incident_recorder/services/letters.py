"""The letter to parents and carers (issue 5): gathering one pupil's letter about one
incident from the record, the school's settings and the pupil's contacts, and keeping
each preview, print and save with a hash of exactly the bytes produced.

The same read rights as opening the record (``IncidentService``). A letter is per pupil
per incident: when several pupils were held in one event, each has their own record and
their own letter. The internal account is never used: the letter prints the form's
summary for parents. Audit entries carry the record's id, the copy number, the template
version and a hash, never a name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from incident_recorder.domain.body_map import marks_words
from incident_recorder.domain.documents import (
    DocumentKind,
    DocumentOutput,
    OutputHow,
    Pdf,
    letter_file_name,
)
from incident_recorder.domain.errors import InvalidInput, NotAllowed, NotFound
from incident_recorder.domain.letter_draft import (
    LetterDraft,
    other_pupil_warnings,
    without_names,
)
from incident_recorder.domain.letters import (
    Hold,
    LetterFacts,
    Letterhead,
    TechniqueWords,
    build_letter,
    contradictions,
    everyday_words,
    letter_recipients,
    missing_facts,
    wording_gaps,
)
from incident_recorder.domain.model import Incident, IncidentStatus, ParentsStatus, Pupil, Role
from incident_recorder.domain.parents_copy import CopyHow, CopySupply
from incident_recorder.domain.techniques import group_of
from incident_recorder.services.incidents import (
    IncidentService,
    details_sha256,
    other_pupil_names,
)
from incident_recorder.services.letter_templates import LetterTemplateService
from incident_recorder.services.ports import DocumentRenderer
from incident_recorder.services.session import Session

WITHHELD = (
    "Telling parents was withheld for the child's safety, so no letter can be made. "
    "The local authority must be told instead."
)


NOT_A_MAKER = (
    "Letters to parents and carers are made by a safeguarding lead or senior leader. "
    "Please ask one of them to make this letter."
)


def not_possible_reason(incident: Incident) -> str:
    """Why no letter can be made from this record ("" when one can), for the button."""
    if incident.status is not IncidentStatus.SUBMITTED or not incident.reference:
        return "A letter can be made once the record is submitted."
    if incident.details.parents.status is ParentsStatus.WITHHELD:
        return WITHHELD
    return ""


@dataclass(frozen=True, slots=True)
class MadeDocument:
    """A document made, and the note kept that it was previewed, printed or saved."""

    pdf: Pdf
    output: DocumentOutput


class LetterService:
    def __init__(
        self,
        session: Session,
        technique_words: TechniqueWords,
        shipped_template: str,
        renderer: DocumentRenderer,
    ) -> None:
        """``technique_words``: technique name -> the everyday words a parent reads, and
        what each does to the child (``infra.letter_resources.technique_words()``);
        ``shipped_template``: the default wording
        (``infra.letter_resources.default_letter_template()``); ``renderer`` makes the
        PDFs (``documents.renderer.ReportlabRenderer``)."""
        self._s = session
        self._renderer = renderer
        self._shipped = shipped_template
        self._words = dict(technique_words.words)
        self._groups = dict(technique_words.groups)
        self._incidents = IncidentService(session)

    # ------------------------------------------------------------------ making

    @property
    def may_make_letters(self) -> bool:
        """Letters go out in the school's name, signed by the head or safeguarding lead,
        so they are made by a safeguarding lead or senior leader (DESIGN §5)."""
        return self._s.user.has(Role.SAFEGUARDING_LEAD)

    def require_maker(self) -> None:
        if not self.may_make_letters:
            raise NotAllowed(NOT_A_MAKER)

    def by_reference(self, reference: str, pupil_upn: str | None = None) -> LetterDraft:
        """The letter for record ``reference`` (see :meth:`prepare`)."""
        incident = self._incidents.by_reference(reference)
        return self.prepare(incident.id, pupil_upn)

    def prepare(self, incident_id: int, pupil_upn: str | None = None) -> LetterDraft:
        """The letter's copies and warnings, from the record's latest version.

        ``pupil_upn``: the pupil the letter is for. When the record is about another
        pupil held in the same event, that pupil's own record from the event is used;
        InvalidInput if no record from the event is about them. Raises NotAllowed when
        the user may not open the record or telling parents was withheld, InvalidInput
        for a draft or when no parent or carer can be sent a letter."""
        self.require_maker()
        incident = self._chosen_record(self._incidents.open(incident_id), pupil_upn)
        reason = not_possible_reason(incident)
        if reason == WITHHELD:
            raise NotAllowed(WITHHELD)
        if reason:
            raise InvalidInput(reason)
        assert incident.reference is not None
        pupil = self._pupil(incident)
        recipients = letter_recipients(pupil.contacts)
        if not recipients.letters:
            raise InvalidInput(self._nobody_message(pupil, recipients.problems))
        facts = self._facts(incident, pupil)
        school = self._s.settings().school
        letterhead = Letterhead.from_school(school, self._s.store.documents.logo())
        template = LetterTemplateService(self._s, self._shipped, self._renderer).current()
        today = self._s.local_now().date()
        copies = tuple(
            build_letter(template.text, facts, letterhead, r, today, str(template.version))
            for r in recipients.letters
        )
        warnings = [*self._named_pupils(facts, pupil), *missing_facts(facts)]
        warnings += contradictions(facts) + wording_gaps(template.text, facts)
        warnings += recipients.problems
        font = next(
            (w for w in map(self._renderer.letter_font_warning, copies) if w), ""
        )  # names or wording the fonts cannot print, in any copy
        if font:
            warnings.append(font)
        return LetterDraft(
            incident_id=incident.id,
            reference=incident.reference,
            copies=copies,
            template_version=template.version,
            warnings=tuple(warnings),
        )

    def _chosen_record(self, incident: Incident, pupil_upn: str | None) -> Incident:
        upn = (pupil_upn or "").strip().upper()
        if not upn or self._upn_of(incident) == upn:
            return incident
        for linked in self._incidents.linked(incident):
            if linked.status is not IncidentStatus.SUBMITTED:
                continue
            try:
                other = self._incidents.open(linked.id)
            except NotAllowed:
                continue
            if self._upn_of(other) == upn:
                return other
        raise InvalidInput(
            f"Record {incident.reference or incident.id} is not about the pupil with UPN "
            f"{upn}, and no other record from the same event is."
        )

    def _upn_of(self, incident: Incident) -> str:
        pupil_id = incident.details.who.pupil_id
        if pupil_id is None:
            return ""
        try:
            return self._s.store.pupils.get(pupil_id).upn.upper()
        except NotFound:
            return ""

    def _pupil(self, incident: Incident) -> Pupil:
        pupil_id = incident.details.who.pupil_id
        if pupil_id is None:
            raise InvalidInput("This record has no pupil, so no letter can be made.")
        return self._s.store.pupils.get(pupil_id)

    @staticmethod
    def _nobody_message(pupil: Pupil, problems: tuple[str, ...]) -> str:
        no_address = [p for p in problems if p.startswith("No address")]
        if no_address:
            return " ".join(no_address) + " Add their address on the pupil's page first."
        return (
            f"No parent or carer of {pupil.display_name} has parental responsibility and "
            "receives correspondence. Add their details on the pupil's page first."
        )

    def _facts(self, incident: Incident, pupil: Pupil) -> LetterFacts:
        d = incident.details
        settings = self._s.settings()
        letters, school = settings.letters, settings.school
        i = d.intervention
        holds = tuple(
            Hold(
                everyday_words(h.technique, self._words),
                h.seconds,
                group_of(h.technique, self._groups),
            )
            for h in i.holds
            if h.technique.strip()
        )
        known = [h.seconds for h in i.holds if h.seconds is not None]
        on_floor = i.floor_position is True
        injured = d.injuries.pupil_injured is True
        contact_name = letters.contact_name or letters.signatory_name
        contact_role = letters.contact_role
        if not letters.contact_name and letters.signatory_name:
            contact_role = letters.signatory_role.label
        day = d.when_where.date or self._s.local_now().date()
        return LetterFacts(
            reference=incident.reference or "",
            incident_date=day,
            place=d.when_where.location,
            child=pupil.preferred_name or pupil.first_name,
            child_full_name=f"{pupil.first_name} {pupil.last_name}".strip(),
            summary=d.parents.summary_for_parents,
            why_necessary=self._why(incident),
            start_time=d.when_where.start,
            end_time=d.when_where.end,
            holds=holds,
            total_seconds=sum(known) if known else None,
            kind=i.kind,
            floor_positions=i.floor_positions if on_floor else frozenset(),
            floor_seconds=i.floor_seconds if on_floor else None,
            floor_how=i.floor_how if on_floor else "",
            floor_release=i.floor_release if on_floor else "",
            breathing_never_restricted=i.abc_never_restricted,
            breathing_details=i.abc_details if i.abc_never_restricted is False else "",
            injury=d.injuries.pupil_injury.strip() if injured else "",
            injury_marks=marks_words(d.injuries.pupil_marks) if injured else "",
            first_aid=d.injuries.first_aid.strip() if injured else "",
            child_now=d.follow_up.how_child_is_now,
            support=d.follow_up.pupil_support,
            child_account=d.debriefs.pupil_voice if d.debriefs.pupil_debriefed else "",
            plan_review=self._plan_review(incident, pupil, day),
            contact_name=contact_name,
            contact_role=contact_role,
            contact_phone=letters.contact_phone or school.phone,
            school_name=school.name,
            signatory_name=letters.signatory_name,
            signatory_role=letters.signatory_role.label,
        )

    @staticmethod
    def _why(incident: Incident) -> str:
        necessity = incident.details.necessity
        if necessity.justification.strip():
            return necessity.justification
        grounds = sorted(g.label for g in necessity.grounds)
        return ". ".join(grounds) + "." if grounds else ""

    def _plan_review(self, incident: Incident, pupil: Pupil, day: date) -> bool | None:
        """None when the pupil had no behaviour support plan in force that day."""
        d = incident.details
        had_plan = d.who.plan_version is not None
        if not had_plan:
            had_plan = self._s.store.plans.in_force(pupil.id, day) is not None
        if not had_plan:
            return None
        return d.follow_up.plan_review_needed is True

    def _named_pupils(self, facts: LetterFacts, pupil: Pupil) -> list[str]:
        printed = (
            ("summary for parents", facts.summary),
            ("reason the hold was necessary", facts.why_necessary),
            ("note of how the child is now", facts.child_now),
            ("support the child will have", facts.support),
            ("child's own account", facts.child_account),
            ("injury note", facts.injury),
            ("body map's notes", facts.injury_marks),
            ("first aid note", facts.first_aid),
            ("note of how the time on the floor came about", facts.floor_how),
            ("note of how the time on the floor ended", facts.floor_release),
            ("note about breathing", facts.breathing_details),
        )
        text = "\n".join(t for _, t in printed if t.strip())
        if not text:
            return []
        others = other_pupil_names(self._s.store, self._s.local_now().date(), text, pupil)
        # A member of staff's full name ("Halima Ionescu") is not a pupil called Halima.
        staff = [m.full_name for m in self._s.store.staff.list(active_only=False)]
        cleaned = [(what, without_names(t, staff)) for what, t in printed]
        return other_pupil_warnings(cleaned, others)

    # ------------------------------------------------------------------ what was made

    def render(self, draft: LetterDraft, index: int) -> Pdf:
        """Copy ``index`` (from 0) of the letter as a PDF, in memory (nothing is kept:
        see :meth:`record` once it is previewed, printed or saved)."""
        self.require_maker()
        pdf = self._renderer.letter(draft.copies[index])
        return replace(pdf, file_name=letter_file_name(draft.reference, index + 1))

    def make(self, draft: LetterDraft, index: int, how: OutputHow) -> MadeDocument:
        """Render copy ``index`` and keep that it was ``how`` (the command line's way:
        the file is written by the caller)."""
        pdf = self.render(draft, index)
        return MadeDocument(pdf, self.record(draft, index, how, pdf))

    def record(self, draft: LetterDraft, index: int, how: OutputHow, pdf: Pdf) -> DocumentOutput:
        """Keep one preview, print or save of copy ``index`` (from 0) of the letter, with
        the hash of exactly ``pdf``, on the record and in the audit log."""
        self.require_maker()
        incident_id = draft.incident_id
        content = draft.copies[index]
        incident = self._s.store.incidents.get(incident_id)
        self._incidents.versions(incident_id)  # the same read rights as opening it
        if not_possible_reason(incident) == WITHHELD:
            raise NotAllowed(WITHHELD)
        digest = pdf.sha256
        version = int(content.template_version)
        output = DocumentOutput(
            incident_id=incident_id,
            kind=DocumentKind.LETTER,
            how=how,
            sha256=digest,
            pages=pdf.pages,
            recipient=content.recipient.addressee,
            template_version=version,
        )
        store = self._s.store
        with store.transaction():
            saved = store.documents.add_output(output, self._s.user.id, self._s.now())
            # record_sha256 names the record version the letter was made from (the audit
            # check matches it against the versions); the PDF's own hash is in the detail.
            self._s.audit(
                "letter_output",
                incident_id,
                f"{how}, copy {index + 1}, template v{version}, pdf sha256 {digest}",
                details_sha256(incident.details),
            )
        return saved

    # ------------------------------------------------------------------ the enclosure

    def render_enclosure(self, draft: LetterDraft) -> Pdf:
        """The copy of the record for parents, to enclose with the letter (issue 13: the
        written record goes to the parents as soon as practicable)."""
        from incident_recorder.services.record_document import RecordDocumentService

        self.require_maker()
        return RecordDocumentService(self._s, self._renderer).render(draft.incident_id, True)

    def record_enclosure(self, draft: LetterDraft, how: OutputHow, pdf: Pdf) -> DocumentOutput:
        """Keep that the enclosed copy of the record was printed or saved."""
        from incident_recorder.services.record_document import RecordDocumentService

        self.require_maker()
        return RecordDocumentService(self._s, self._renderer).record(
            draft.incident_id, True, how, pdf
        )

    def confirm_sent_together(
        self, draft: LetterDraft, indexes: list[int], how: CopyHow
    ) -> list[CopySupply]:
        """The user confirms the letter copies ``indexes`` went out with the copy of the
        record: both are kept (the letter sent, and the record supplied), once each
        addressee. Printing or saving alone never counts as supplied."""
        from incident_recorder.services.parents import ParentsService

        self.require_maker()
        parents = [draft.copies[i].recipient.addressee for i in indexes]
        return ParentsService(self._s).record_sent_together(draft.incident_id, how, parents)

    def letters_made(self, incident_id: int) -> list[DocumentOutput]:
        """Every preview, print and save of a letter from this record, oldest first."""
        self._incidents.versions(incident_id)
        outputs = self._s.store.documents.outputs_for(incident_id)
        return [o for o in outputs if o.kind is DocumentKind.LETTER]
