"""What a piece of work changed, so that each view refreshes what it shows, and only
that (in the spirit of Anki's ``OpChanges``): one value, announced on one signal."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Changes:
    records: bool = False  # submitted, amended, started, discarded: the incident lists
    drafts: bool = False  # a draft was saved: only My drafts
    pupils: bool = False  # pupils or their parents and carers
    parents: bool = False  # contacts with parents, letters sent: "Parents to tell"
    plans: bool = False  # behaviour support plans
    reviews: bool = False  # recorded plan reviews
    documents: bool = False  # letters and records previewed, printed or saved
    settings: bool = False  # the school's settings or letter wording
    statements: bool = False  # staff statements written, or given on paper (issue 13)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        )

    @property
    def anything(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


NOTHING = Changes()
