"""Enum labels one way: a LabelledEnum member is its stored string and carries the words
a person sees; every enum in the domain that has words uses it."""

from __future__ import annotations

import enum
import importlib
import json
import pkgutil

import pytest

import incident_recorder.domain as domain
from incident_recorder.domain.labelled import LabelledEnum
from incident_recorder.domain.model import Role, SenStatus, StaffPart


class Weather(LabelledEnum):
    SUNNY = "sunny", "Sunny spells"
    WET = "wet", "Wet play"


def test_a_member_is_its_stored_value_and_carries_its_label() -> None:
    stored: str = "wet"  # as the database holds it
    assert stored == Weather.WET and str(Weather.WET) == stored and f"{Weather.WET}" == stored
    assert Weather("wet") is Weather.WET  # how the store reads it back
    assert Weather.WET.value == "wet"
    assert Weather.WET.label == "Wet play"
    assert [w.label for w in Weather] == ["Sunny spells", "Wet play"]
    assert json.dumps({"weather": Weather.SUNNY}) == '{"weather": "sunny"}'
    with pytest.raises(ValueError):
        Weather("Wet play")  # a label is not a value


def test_a_member_without_a_label_is_refused_when_the_class_is_made() -> None:
    with pytest.raises(TypeError, match="needs a label"):

        class Unlabelled(LabelledEnum):
            FOG = "fog"


def test_the_domains_labels_are_unchanged() -> None:
    assert [r.label for r in Role] == [
        "Staff",
        "SENCO",
        "Safeguarding lead / senior leader",
        "Administrator",
        "School office",  # issue 13
    ]
    assert [s.label for s in SenStatus] == ["No SEN", "SEN support", "EHCP"]
    assert [p.label for p in StaffPart] == ["Carried out", "Assisted", "Witnessed", "Supervised"]


def test_every_domain_enum_with_words_is_a_labelled_enum() -> None:
    labelled, other_ways = [], []
    for info in pkgutil.iter_modules(domain.__path__):
        module = importlib.import_module(f"{domain.__name__}.{info.name}")
        for name, value in vars(module).items():
            if not (
                isinstance(value, type)
                and issubclass(value, enum.Enum)
                and value.__module__ == module.__name__
                and value is not LabelledEnum
            ):
                continue
            if issubclass(value, LabelledEnum):
                labelled.append(name)
            elif hasattr(value, "label"):
                other_ways.append(name)
    assert other_ways == []
    assert len(labelled) >= 17  # Role, SenStatus, ... TechniqueGroup, ReviewOutcome
