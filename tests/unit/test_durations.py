"""Durations in words: records, reviews and letters."""

from __future__ import annotations

import pytest

from incident_recorder.domain.durations import about_duration, duration_text, short_duration


@pytest.mark.parametrize(
    ("seconds", "record", "letter", "short"),
    [
        (None, "", "", ""),
        (0, "0 seconds", "about 0 seconds", "0 s"),
        (1, "1 second", "about 1 second", "1 s"),
        (20, "20 seconds", "about 20 seconds", "20 s"),
        (60, "1 minute", "about 1 minute", "1 min"),
        (90, "1 minute 30 seconds", "about 1 minute and 30 seconds", "1 min 30 s"),
        (240, "4 minutes", "about 4 minutes", "4 min"),
        (12 * 60 + 20, "12 minutes 20 seconds", "about 12 minutes", "12 min 20 s"),
        (12 * 60 + 40, "12 minutes 40 seconds", "about 13 minutes", "12 min 40 s"),
        (3600, "1 hour", "about 1 hour", "1 h"),
        (3900 + 7, "1 hour 5 minutes 7 seconds", "about 1 hour and 5 minutes", "1 h 5 min"),
    ],
)
def test_words_for_a_duration(seconds: int | None, record: str, letter: str, short: str) -> None:
    assert duration_text(seconds) == record
    assert about_duration(seconds) == letter
    assert short_duration(seconds) == short
