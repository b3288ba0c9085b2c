"""The top of the pupil review: who the pupil is, their current plan, and the key
figures (incidents, holds, injuries, floor holds, first and last dates, and how many
incidents no review has considered yet)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from incident_recorder.domain.model import Pupil
from incident_recorder.domain.review import PupilReview
from incident_recorder.ui.review.chart import plural
from incident_recorder.ui.style import framed, heading, scaled_font

FLAGS = (
    ("looked_after", "Looked after"),
    ("previously_looked_after", "Previously looked after"),
    ("kinship_care", "Kinship care"),
    ("child_in_need", "Child in need"),
    ("child_protection_plan", "Child protection plan"),
    ("free_school_meals", "Free school meals"),
    ("pupil_premium", "Pupil premium"),
    ("eal", "English as an additional language"),
)
FIGURES = (
    ("incidents", "Incidents"),
    ("with_hold", "With a hold"),
    ("injuries", "With an injury"),
    ("floor", "With a floor hold"),
    ("first", "First incident"),
    ("last", "Latest incident"),
)


def pupil_line(pupil: Pupil) -> str:
    """The facts a review meeting asks first, in one line."""
    parts = [
        p for p in (pupil.year_group, f"Class {pupil.class_name}" if pupil.class_name else "") if p
    ]
    sen = pupil.sen_status.label
    if pupil.primary_need:
        sen += f" ({pupil.primary_need})"
    parts.append(sen)
    parts.extend(words for name, words in FLAGS if getattr(pupil, name))
    if pupil.date_of_birth is not None:
        parts.append(f"born {pupil.date_of_birth:%d/%m/%Y}")
    if pupil.left_on is not None:
        parts.append(f"left on {pupil.left_on:%d/%m/%Y}")
    return " · ".join(parts)


def plan_line(review: PupilReview) -> str:
    plans = [m for m in review.markers if m.kind in ("plan_start", "plan_review")]
    if not plans:
        return "There is no behaviour support plan for this pupil yet."
    version = max(m.plan_version for m in plans)
    dates = {m.kind: m.on for m in plans if m.plan_version == version}
    text = f"Behaviour support plan version {version}"
    if "plan_start" in dates:
        text += f", in force from {dates['plan_start']:%d/%m/%Y}"
    last = review.reviews[0] if review.reviews else None
    start = dates.get("plan_start")
    if last is not None and last.held_on and (start is None or last.held_on >= start):
        # A review held since this version started set the next review date.
        text += f"; last reviewed on {last.held_on:%d/%m/%Y}"
        if last.next_review:
            text += f", next review by {last.next_review:%d/%m/%Y}"
    elif "plan_review" in dates:
        text += f"; review due by {dates['plan_review']:%d/%m/%Y}"
    return text + "."


def not_reviewed_line(review: PupilReview) -> str:
    waiting = len(review.not_yet_reviewed)
    if not review.incidents:
        return ""
    if not waiting:
        return "Every incident has been considered in a recorded review."
    return f"{plural(waiting, 'incident')} not yet reviewed."


def undated_line(undated: int) -> str:
    if not undated:
        return ""
    verb = "is" if undated == 1 else "are"
    return (
        f"{plural(undated, 'incident')} with no date {verb} counted in the figures but "
        "left out of the chart and the timeline."
    )


def figure_values(review: PupilReview) -> dict[str, str]:
    def day(value: object) -> str:
        return "—" if value is None else f"{value:%d/%m/%Y}"

    return {
        "incidents": str(review.incidents),
        "with_hold": str(review.with_hold),
        "injuries": str(review.injuries.any),
        "floor": str(review.floor.incidents),
        "first": day(review.first),
        "last": day(review.last),
    }


class ReviewHeader(QWidget):
    def __init__(self, pupil: Pupil, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading(f"Pupil review: {pupil.display_name}", 1.4, self)
        self.facts = QLabel(pupil_line(pupil), self)
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName("About the pupil")
        self.plan = QLabel(self)
        self.plan.setWordWrap(True)
        self.plan.setAccessibleName("The current behaviour support plan")
        self.not_reviewed = QLabel(self)
        self.not_reviewed.setFont(scaled_font(self.not_reviewed, 1.0, bold=True))
        self.not_reviewed.setAccessibleName("Incidents not yet reviewed")
        self.undated = QLabel(self)
        self.undated.setProperty("role", "muted")
        self.undated.setWordWrap(True)
        self.values: dict[str, QLabel] = {}
        tiles = QHBoxLayout()
        for key, caption in FIGURES:
            tile = framed("panel", self)
            grid = QGridLayout(tile)
            grid.setContentsMargins(10, 4, 10, 4)
            value = QLabel("—", tile)
            value.setFont(scaled_font(value, 1.35, bold=True))
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label = QLabel(caption, tile)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setProperty("role", "muted")
            grid.addWidget(value, 0, 0)
            grid.addWidget(label, 1, 0)
            value.setAccessibleName(caption)
            self.values[key] = value
            tiles.addWidget(tile, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.plan)
        layout.addLayout(tiles)
        status = QHBoxLayout()
        status.addWidget(self.not_reviewed)
        status.addWidget(self.undated, 1)
        layout.addLayout(status)

    def set_review(self, review: PupilReview) -> None:
        self.plan.setText(plan_line(review))
        for key, text in figure_values(review).items():
            self.values[key].setText(text)
            self.values[key].setAccessibleDescription(text)
        waiting = not_reviewed_line(review)
        self.not_reviewed.setText(waiting)
        self.not_reviewed.setVisible(bool(waiting))
        self.undated.setText(undated_line(review.undated))
