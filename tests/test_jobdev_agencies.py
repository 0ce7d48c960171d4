"""Temp agencies: the text cues' quick word test finds every text the pattern finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ipsmatch.jobdev.agencies import _TEXT_CUES, _text_cue, is_temp_agency

#: pieces of the cues, other cases, the characters re.I equates with ASCII letters, others
PIECES = ["vikar", "VIKAR", "Vikarbureau", "bemandings", "bureau", "BUREAU", "temp", "TEMP",
          "orary", "agenc", "work", "staffing", "and recruitment", "som", "hos", "for",
          "vores", "en", "kunde", "as", "a", "worker", " ", "  ", "\n", "-", "æ", "ø", "å",
          "\u0130", "\u0131", "\u212a", "\u017f", "i", "I", "k", "K", "x"]


@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_the_word_test_finds_what_the_pattern_finds(text: str) -> None:
    assert _text_cue(text) == bool(_TEXT_CUES.search(text))


def test_text_cues() -> None:
    assert is_temp_agency("Job ApS", "Du bliver ansat som vikar hos vores kunde")
    assert is_temp_agency("Job ApS", "VI ER ET BEMANDINGSBUREAU")
    assert is_temp_agency("Job ApS", "v\u0130karbureau")  # "İ" is "i" to re.I, not to lower()
    assert not is_temp_agency("Job ApS", "Vi søger en lagermedarbejder")
