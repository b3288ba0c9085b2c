"""The "Safeguarding desk" window: for a safeguarding lead or senior leader, what waits
(records to sign off, referrals to consider, amendments they asked for), each in a tab;
for the author of records, the amendments asked of them. A row opens its record
(double-click or Enter); the buttons record a decision, close a request or reply, with
the words asked for through the Prompter. The work is DeskService's."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.desk import ReferralDecisionKind, ReferralToConsider, item_label
from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.services.desk import DeskService
from incident_recorder.services.session import to_local
from incident_recorder.ui.desk.models import (
    REQUEST_ROLE,
    AmendmentsModel,
    ReferralsModel,
    StatementsModel,
    ToSignOffModel,
)
from incident_recorder.ui.desk.parts import Section, reply_to
from incident_recorder.ui.prompter import Prompter

TITLE = "Safeguarding desk"
AUTHOR_TITLE = "Amendments asked of you"


class DeskWindow(QWidget):
    record_requested = Signal(int)
    desk_changed = Signal()  # a decision, reply or closing: the badge counts again

    def __init__(
        self, service: DeskService, prompter: Prompter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self._service = service
        self._prompter = prompter
        self.lead = service.is_lead
        self.setWindowTitle(TITLE if self.lead else AUTHOR_TITLE)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Sections of the desk")
        self.tabs.tabBar().setAccessibleName("Sections of the desk")
        zone = service.timezone

        def local(moment: datetime) -> datetime:
            return to_local(moment, zone)

        self.amendments = Section(
            "Requests, open ones first (double-click or press Enter to open the record):",
            AmendmentsModel(local, self),
            "Amendment requests",
            self,
            (3, 4),
        )
        if self.lead:
            self.sign_off = Section(
                "Records, oldest first (double-click or press Enter to open):",
                ToSignOffModel(self),
                "Records to sign off",
                self,
                (4,),
            )
            self.referrals = Section(
                "Records, oldest first (double-click or press Enter to open):",
                ReferralsModel(self),
                "Referrals to consider",
                self,
                (3, 4),
            )
            self.made_button = self.referrals.add_button(
                "Referral &made…", "Record that a referral was made"
            )
            self.not_needed_button = self.referrals.add_button(
                "&No referral needed…", "Record that no referral is needed"
            )
            self.close_button = self.amendments.add_button(
                "&Close the request…", "Close the chosen amendment request"
            )
            self.tabs.addTab(self.sign_off, "To &sign off")
            self.tabs.addTab(self.referrals, "&Referrals to consider")
            self.tabs.addTab(self.amendments, "&Amendments requested")
            self.statements: Section | None = None
            if service.has_statements:
                self.statements = Section(
                    "Statements, longest waiting first (double-click or press Enter to open):",
                    StatementsModel(self),
                    "Staff statements outstanding",
                    self,
                    (2,),
                )
                self.tabs.addTab(self.statements, "S&tatements outstanding")
        else:
            self.reply_button = self.amendments.add_button(
                "&Reply…", "Reply to the chosen amendment request"
            )
            self.tabs.addTab(self.amendments, "&Asked to amend")
        self.refresh_button = QPushButton("Re&fresh", self)
        self.refresh_button.setAccessibleName("Read the desk again")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(row)
        self._connect_signals()
        self.resize(980, 520)

    def _sections(self) -> list[Section]:
        if not self.lead:
            return [self.amendments]
        found = [self.sign_off, self.referrals, self.amendments]
        return found + ([self.statements] if self.statements is not None else [])

    def add_section(self, page: QWidget, title: str) -> None:
        """Another section (e.g. statements outstanding), as a tab of its own."""
        self.tabs.addTab(page, title)

    def _connect_signals(self) -> None:
        for section in self._sections():
            section.table.activated.connect(self._on_table_activated)
            section.open_button.clicked.connect(self._on_open_button_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        if self.lead:
            self.made_button.clicked.connect(self._on_made_button_clicked)
            self.not_needed_button.clicked.connect(self._on_not_needed_button_clicked)
            self.close_button.clicked.connect(self._on_close_button_clicked)
        else:
            self.reply_button.clicked.connect(self._on_reply_button_clicked)

    # ------------------------------------------------------------------ reading

    @Slot()
    def refresh(self) -> None:
        try:
            if self.lead:
                self._fill_lead()
            else:
                threads = self._service.my_amendment_requests()
                self.amendments.show_rows(
                    list(threads),
                    "Nothing is asked of you: no amendment requests are open on your records.",
                    "A safeguarding lead asked you to amend these records. Reply to say what "
                    "you will do, then amend the record (Amend… in the record).",
                )
                self.tabs.setTabText(0, f"&Asked to amend ({len(threads)})")
        except IncidentRecorderError as error:
            self._prompter.warn("The desk could not be read", str(error))

    def _fill_lead(self) -> None:
        count = self._service.waiting()
        rows = self._service.to_sign_off()
        overdue = sum(r.overdue for r in rows)
        days = self._service.overdue_school_days
        shown = "" if count.to_sign_off <= len(rows) else f" (the oldest {len(rows):,} shown)"
        self.sign_off.show_rows(
            list(rows),
            "Every record is signed off. Nothing waits here.",
            f"{count.to_sign_off:,} record{'s' if count.to_sign_off != 1 else ''} to sign off"
            f"{shown}; {overdue:,} overdue (more than {days} school days since submitted, "
            "marked 'overdue' and shaded). What needs attention first is listed with each.",
        )
        referrals = self._service.referrals()
        self.referrals.show_rows(
            list(referrals),
            "No referrals wait for a decision.",
            "Records with an injury, a safeguarding concern (a referral to the designated "
            "safeguarding lead ticked) or a referral ticked on the follow-up step, until "
            "you record what was decided for each.",
        )
        threads = self._service.amendment_requests()
        open_count = sum(t.state.open for t in threads)
        self.amendments.show_rows(
            list(threads),
            "You have not asked for any amendments. Ask from the record (Request an amendment…).",
            "Amendments asked for, with the author's reply. A request closes when the record "
            "is amended after it, or when you close it.",
        )
        self.tabs.setTabText(0, f"To &sign off ({count.to_sign_off:,})")
        self.tabs.setTabText(1, f"&Referrals to consider ({count.referrals:,})")
        self.tabs.setTabText(2, f"&Amendments requested ({open_count:,})")
        if self.statements is not None:
            waiting = self._service.statements_outstanding()
            self.statements.show_rows(
                list(waiting),
                "No staff statement has waited more than a school day.",
                "Members of staff named on a record who have not given their own account "
                "after 1 school day. Remind them, or record a statement given on paper "
                "(Staff statements tab of the record).",
            )
            self.tabs.setTabText(3, f"S&tatements outstanding ({len(waiting):,})")

    # ------------------------------------------------------------------ slots

    def _current_section(self) -> Section | None:
        page = self.tabs.currentWidget()
        return page if isinstance(page, Section) else None

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        incident_id = index.data(Qt.ItemDataRole.UserRole)
        if isinstance(incident_id, int):
            self.record_requested.emit(incident_id)

    @Slot()
    def _on_open_button_clicked(self) -> None:
        section = self._current_section()
        if section is not None and section.table.currentIndex().isValid():
            self._on_table_activated(section.table.currentIndex())

    def _chosen_referral(self) -> ReferralToConsider | None:
        value = self.referrals.model.value(self.referrals.current_row())
        return value if isinstance(value, ReferralToConsider) else None

    def decide(self, kind: ReferralDecisionKind) -> bool:
        """Ask which open item (when there are several) and a note, then record it."""
        row = self._chosen_referral()
        title = kind.label
        if row is None or not row.open_items:
            self._prompter.warn(title, "Choose a record in the list first.")
            return False
        item = row.open_items[0]
        if len(row.open_items) > 1:
            choice = self._prompter.choose(
                title,
                f"Which is this about, on record {row.reference}?",
                [item_label(i) for i in row.open_items],
            )
            if choice is None:
                return False
            item = row.open_items[choice]
        question = (
            f"{item_label(item)}, record {row.reference}: to whom, when, any reference "
            "number (optional)."
            if kind is ReferralDecisionKind.MADE
            else f"{item_label(item)}, record {row.reference}: why is no referral needed?"
        )
        note = self._prompter.ask_text(title, question, multiline=True)
        if note is None:
            return False
        try:
            self._service.record_referral_decision(row.incident_id, item, kind, note)
        except IncidentRecorderError as error:
            self._prompter.warn(title, str(error))
            return False
        self.refresh()
        self.desk_changed.emit()
        return True

    @Slot()
    def _on_made_button_clicked(self) -> None:
        self.decide(ReferralDecisionKind.MADE)

    @Slot()
    def _on_not_needed_button_clicked(self) -> None:
        self.decide(ReferralDecisionKind.NOT_NEEDED)

    def _chosen_request(self) -> int | None:
        index = self.amendments.table.currentIndex()
        value = index.data(REQUEST_ROLE) if index.isValid() else None
        return value if isinstance(value, int) else None

    @Slot()
    def _on_close_button_clicked(self) -> None:
        request_id = self._chosen_request()
        if request_id is None:
            return
        if not self._prompter.confirm(
            "Close the request",
            "Close this amendment request? It stays on the record, marked closed.",
            yes="Close it",
            no="Keep it open",
        ):
            return
        try:
            self._service.close_request(request_id)
        except IncidentRecorderError as error:
            self._prompter.warn("Close the request", str(error))
            return
        self.refresh()
        self.desk_changed.emit()

    @Slot()
    def _on_reply_button_clicked(self) -> None:
        request_id = self._chosen_request()
        if request_id is None:
            return
        if reply_to(self._service, self._prompter, request_id):
            self.refresh()
            self.desk_changed.emit()
