from __future__ import annotations

import pytest

from ipsmatch.explain import TEMPLATES, fmt_range, make_reason, render
from ipsmatch.needs import NEEDS


def test_issue_sentences() -> None:
    assert make_reason("wish", "wish.occupation", wish="lagerarbejde",
                       label="Lager- og logistikmedarbejder").text_da == \
        "Matcher ønsket 'lagerarbejde' (Lager- og logistikmedarbejder)"
    assert make_reason("commute", "commute.ok", km=4.2, minutes=15.3, mode="bike").text_da == \
        "4 km, ca. 15 min på cykel"
    assert make_reason("hours", "hours.slightly_over", ad_min=10, ad_max=15, cap_min=8,
                       cap_max=12).text_da == "10–15 t/uge: lidt over de 8–12 t borgeren kan nu"
    assert make_reason("need", "need.no_night.met").text_da == "Dagarbejde – ingen nattevagter"
    r = make_reason("need", "need.no_heavy_lifting.broken", quote="Der  er tunge\nløft")
    assert r.text_da == "Tunge løft nævnes i annoncen: 'Der er tunge løft'"
    assert r.quote == "Der er tunge løft"
    assert make_reason("unknown", "need.no_night.unknown").text_da == \
        "Natarbejde: ikke oplyst – spørg arbejdsgiveren"
    assert "kræver aftale om færre timer" in make_reason(
        "hours", "hours.over", ad_min=37, ad_max=37, cap_min=8, cap_max=12).text_da


def test_english_and_text_picks_language() -> None:
    r = make_reason("commute", "commute.ok", km=12.4, minutes=40, mode="public")
    assert r.text("en") == "12 km, about 40 min by public transport"
    assert r.text("da") == "12 km, ca. 40 min med offentlig transport"


def test_long_quotes_are_cut() -> None:
    r = make_reason("avoid", "avoid.hit", term="butik", quote="ord " * 100)
    assert r.quote is not None and len(r.quote) <= 80 and r.quote.endswith("…")


PARAMS = {"wish": "w", "label": "l", "km": 3.0, "minutes": 10, "mode": "bike", "max": 30,
          "low": 24.0, "high": 36.0,
          "max_km": "5", "ad_min": 10, "ad_max": 12, "cap_min": 8, "cap_max": 12,
          "days": 3, "n": 2, "industry": "i", "term": "t", "label_da": "x", "label_en": "y"}


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_template_renders_in_both_languages(code: str) -> None:
    da, en = render(code, PARAMS, "da"), render(code, PARAMS, "en")
    assert da and en and "{" not in da and "{" not in en


@pytest.mark.parametrize("need", sorted(NEEDS))
def test_every_need_renders(need: str) -> None:
    for status in ("met", "broken", "unknown"):
        assert render(f"need.{need}.{status}", {}, "da")
        assert render(f"need.{need}.{status}", {}, "en")


def test_fmt_range() -> None:
    assert fmt_range(37, 37) == "37"
    assert fmt_range(7.5, None) == "7,5"
    assert fmt_range(7.5, 10, "en") == "7.5–10"
