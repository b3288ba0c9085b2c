"""The steps of the incident form, in the order staff think about the event."""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    WHEN_WHERE = "when_where"
    WHO = "who"
    WHAT_HAPPENED = "what_happened"
    DEESCALATION = "deescalation"
    NECESSITY = "necessity"
    INTERVENTION = "intervention"
    INJURIES = "injuries"
    DEBRIEFS = "debriefs"
    PARENTS = "parents"
    FOLLOW_UP = "follow_up"
    REVIEW = "review"

    @property
    def heading(self) -> str:
        return _TITLES[self]

    @property
    def number(self) -> int:
        return list(Step).index(self) + 1


_TITLES = {
    Step.WHEN_WHERE: "When and where",
    Step.WHO: "Who was involved",
    Step.WHAT_HAPPENED: "What happened",
    Step.DEESCALATION: "De-escalation tried",
    Step.NECESSITY: "Why intervention was necessary",
    Step.INTERVENTION: "The intervention",
    Step.INJURIES: "Injuries and damage",
    Step.DEBRIEFS: "The pupil's voice and debriefs",
    Step.PARENTS: "Parents or carers",
    Step.FOLLOW_UP: "Follow-up",
    Step.REVIEW: "Review and submit",
}
