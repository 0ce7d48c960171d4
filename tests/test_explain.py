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
    # evening-only work is no night work, but not day work (#13): no "Dagarbejde"
    assert make_reason("need", "need.no_night.met").text_da == "Ingen nattevagter"
    r = make_reason("need", "need.no_heavy_lifting.broken", quote="Der  er tunge\nløft")
    assert r.text_da == "Tunge løft nævnes: 'Der er tunge løft'"
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
          "days": 3, "n": 2, "industry": "i", "term": "t", "label_da": "x", "label_en": "y",
          "langs": "da|en", "name": "Randstad", "date": "29.11.2026"}


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_template_renders_in_both_languages(code: str) -> None:
    da, en = render(code, PARAMS, "da"), render(code, PARAMS, "en")
    assert da and en and "{" not in da and "{" not in en


@pytest.mark.parametrize("need", sorted(NEEDS))
def test_every_need_renders(need: str) -> None:
    for status in ("met", "broken", "unknown", "conflict"):
        assert render(f"need.{need}.{status}", {}, "da")
        assert render(f"need.{need}.{status}", {}, "en")


def test_fmt_range() -> None:
    assert fmt_range(37, 37) == "37"
    assert fmt_range(7.5, None) == "7,5"
    assert fmt_range(7.5, 10, "en") == "7.5–10"


def test_singular_and_plural() -> None:
    assert make_reason("freshness", "freshness.deadline_soon", days=1).text_da == \
        "Ansøgningsfrist om 1 dag – skynd jer"
    assert make_reason("freshness", "freshness.deadline_soon", days=3).text_da == \
        "Ansøgningsfrist om 3 dage – skynd jer"
    assert make_reason("freshness", "freshness.deadline_soon", days=1).text_en == \
        "Application deadline in 1 day – hurry"
    assert make_reason("employer", "employer.occupation", n=1, wish="lager").text_en == \
        "Has posted 1 job matching the wish 'lager'"


def test_a_reason_says_where_its_quote_came_from() -> None:
    # the issue's example: a consultant's note was shown as "annoncen nævner deltid"
    r = make_reason("hours", "hours.over_part_time", ad_min=37, ad_max=37, cap_min=10,
                    cap_max=15, quote="kons-camilla ved kontakt 05.10.2026: åben for deltid",
                    source="contact")
    assert "annoncen" not in r.text_da
    assert "'åben for deltid' (teamet ved kontakt 05.10.2026, kons-camilla)" in r.text_da
    assert "(the team at the contact on 05.10.2026, kons-camilla)" in r.text_en
    r = make_reason("need", "need.no_night.broken", quote="Nathold fra 00.00-07.00",
                    source="text")
    assert r.text_da == "Natarbejde nævnes: 'Nathold fra 00.00-07.00' (annoncen)"
    r = make_reason("need", "need.no_weekend.conflict", quote="lørdage fra 07.00-14.00",
                    source="text", quote2="ingen weekendarbejde", source2="field")
    assert r.text_da == ("Weekendarbejde: modstridende – spørg arbejdsgiveren: "
                         "'lørdage fra 07.00-14.00' (annoncen) / 'ingen weekendarbejde' "
                         "(annoncens felter)")
    # one hint and nothing against it is unclear, not contradictory
    r = make_reason("unknown", "need.no_shifts.unclear", quote="daghold og nathold",
                    source="text")
    assert r.text_da == "Skifteholdsarbejde: uklart – spørg arbejdsgiveren: " \
        "'daghold og nathold' (annoncen)"
    assert r.text_en.startswith("Shift work: not clear – ask the employer: ")


def test_one_label_per_need() -> None:
    for nd in NEEDS.values():
        if nd.code in ("quiet_workplace", "low_tempo", "flexible_start"):
            assert nd.label_da == nd.met_da == nd.topic_da
