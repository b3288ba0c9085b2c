"""Tracking that parents and carers were told: each attempt to contact them, each letter
sent, each reply or meeting, written on the record after it was made. Whether parents
were told the same day is worked out from these, never ticked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ContactEntryKind(StrEnum):
    ATTEMPT = "attempt"  # an attempt to tell parents (method: a ContactMethod value)
    LETTER_SENT = "letter_sent"  # the letter went (method: a LetterDelivery value)
    REPLY = "reply"  # a reply from parents, or a meeting (method: a ContactMethod value)


class AttemptOutcome(StrEnum):
    TOLD = "told"
    MESSAGE_LEFT = "message_left"
    NO_ANSWER = "no_answer"
    WRONG_DETAILS = "wrong_details"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    AttemptOutcome.TOLD: "Spoke to them and told them",
    AttemptOutcome.MESSAGE_LEFT: "Left a message asking them to call back",
    AttemptOutcome.NO_ANSWER: "No answer",
    AttemptOutcome.WRONG_DETAILS: "Number or address not right",
}


class LetterDelivery(StrEnum):
    HANDED = "handed"
    POSTED = "posted"
    EMAILED = "emailed"

    @property
    def label(self) -> str:
        return _DELIVERY_LABELS[self]


_DELIVERY_LABELS = {
    LetterDelivery.HANDED: "Handed to the parent or carer",
    LetterDelivery.POSTED: "Posted",
    LetterDelivery.EMAILED: "Emailed from the school's own email",
}


@dataclass(frozen=True, slots=True)
class ParentContactEntry:
    """One contact with parents about one incident."""

    incident_id: int
    kind: ContactEntryKind
    at: datetime  # local wall-clock (naive) when it happened
    method: str  # ContactMethod value (attempt, reply) or LetterDelivery value (letter)
    parent: str = ""  # which parent or carer
    outcome: str = ""  # AttemptOutcome value, for an attempt
    by_whom: str = ""  # the member of staff who made the contact
    note: str = ""
    id: int | None = None  # set by the store
    recorded_at: datetime | None = None  # UTC, set by the store
    recorded_by: int | None = None
    recorded_by_name: str = ""
