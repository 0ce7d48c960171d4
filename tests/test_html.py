"""HTML → plain text."""

from __future__ import annotations

import json

import pytest
from conftest import JOBNET_SAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st

from ipsmatch.text.html import html_to_text


def test_paragraphs_lists_and_entities() -> None:
    html = ("<h2>Om jobbet</h2><p>Vi søger&nbsp;en <b>lager&shy;medarbejder</b> &amp; "
            "en chauffør.</p><ul><li>Fuldtid</li><li>Horsens</li></ul><p>Løn: 180&#160;kr.</p>")
    assert html_to_text(html) == ("Om jobbet\n\nVi søger en lager\xadmedarbejder & en chauffør."
                                  "\n\n- Fuldtid\n- Horsens\n\nLøn: 180 kr.")


def test_scripts_styles_and_comments_are_dropped() -> None:
    html = ("<style>p{color:red}</style><p>Hej</p><script>alert('x')</script>"
            "<!-- skjult --><noscript>nej</noscript><p>verden</p>")
    assert html_to_text(html) == "Hej\n\nverden"


def test_line_breaks_and_whitespace() -> None:
    assert html_to_text("a<br>b<br/>c") == "a\nb\nc"
    assert html_to_text("  mange    mellemrum \t og\r\n\n\n\n linjer  ") == \
        "mange mellemrum og\n\nlinjer"


def test_plain_text_and_empty() -> None:
    assert html_to_text("Bare tekst, 5 < 7 og 9 > 3") == "Bare tekst, 5 < 7 og 9 > 3"
    assert html_to_text("") == ""
    assert html_to_text(None) == ""


def test_malformed_html() -> None:
    assert html_to_text("<p>Åben <b>tag <i>uden slut") == "Åben tag uden slut"
    assert html_to_text("<p <<>> tekst</p") .strip() != ""


def test_output_is_capped() -> None:
    out = html_to_text("<p>" + "ord " * 100_000 + "</p>", max_chars=1000)
    assert len(out) <= 1000


@pytest.mark.skipif(not JOBNET_SAMPLE.exists(), reason="shared Jobnet sample missing")
def test_real_jobnet_purpose() -> None:
    doc = json.loads((JOBNET_SAMPLE / "JobPage01_JobPostingExtended01.json")
                     .read_text(encoding="utf-8-sig"))
    text = html_to_text(doc["JobPositionPosting"]["JobPositionInformation"]["Purpose"])
    assert text.startswith("PARKEN, COPENHAGEN /\n\nENGINEERING")
    assert "<" not in text and "&nbsp;" not in text and "\n\n\n" not in text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000), st.integers(min_value=1, max_value=5000))
def test_never_raises_and_respects_cap(s: str, cap: int) -> None:
    out = html_to_text(s, max_chars=cap)
    assert isinstance(out, str) and len(out) <= cap
    assert "\n\n\n" not in out


_TAGS = st.sampled_from(["<p>", "</p>", "<script>", "</script>", "<li>", "<br>", "&amp;",
                         "&nbsp;", "<b>", "</b>", "<style>", "</style>", "tekst", " ", "\n",
                         "<div class='x'>", "</div>", "&#x41;", "<!--", "-->", "<"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_TAGS, max_size=60))
def test_tag_soup(parts: list[str]) -> None:
    out = html_to_text("".join(parts))
    assert "<p>" not in out and "<br>" not in out and "&amp;" not in out
