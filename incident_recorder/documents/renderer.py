"""The app's documents made with reportlab: the implementation of the services'
``DocumentRenderer`` port (services/ports.py). In: domain objects. Out: a
:class:`~incident_recorder.domain.documents.Pdf` (bytes in memory and their page count,
counted once, here, by reportlab as it lays the pages out).

reportlab itself is imported only when the first document is made.
"""

from __future__ import annotations

from datetime import date, datetime

from incident_recorder.domain.documents import Pdf
from incident_recorder.domain.letters import LetterContent
from incident_recorder.domain.model import Pupil, SchoolDetails
from incident_recorder.domain.oversight.governors import GovernorsReportDocument
from incident_recorder.domain.oversight.published import PublishedReport
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.record_document import RecordDocument
from incident_recorder.domain.review import PupilSummary


class ReportlabRenderer:
    """Makes every PDF the app produces."""

    def letter(self, content: LetterContent) -> Pdf:
        from incident_recorder.documents.letter_pdf import render_letter_pages

        data, pages = render_letter_pages(content)
        return Pdf(data, pages)

    def letter_font_warning(self, content: LetterContent) -> str:
        from incident_recorder.documents.letter_pdf import unprintable_warning

        return unprintable_warning(content)

    def record(self, document: RecordDocument) -> Pdf:
        from incident_recorder.documents.record_pdf import render_record_pages

        data, pages = render_record_pages(document)
        return Pdf(data, pages)

    def pupil_summary(self, summary: PupilSummary) -> Pdf:
        from incident_recorder.documents.summary_pdf import render_summary_pages

        data, pages = render_summary_pages(summary)
        return Pdf(data, pages)

    def plan(
        self, plan: BehaviourPlan, pupil: Pupil, school: SchoolDetails, printed_on: date
    ) -> Pdf:
        from incident_recorder.documents.plan_pdf import render_plan_pages

        data, pages = render_plan_pages(plan, pupil, school, printed_on)
        return Pdf(data, pages)

    def governors_report(self, doc: GovernorsReportDocument) -> bytes:
        from incident_recorder.documents.governors_pdf import render_governors_report

        return render_governors_report(doc)

    def trust_report(self, published: PublishedReport, made_at: datetime) -> bytes:
        from incident_recorder.documents.trust_pdf import render_trust_report

        return render_trust_report(published, made_at)
