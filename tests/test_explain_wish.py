"""The wish reason (ipsmatch.explain_wish): which wording a wish's signal parts give."""

from __future__ import annotations

from conftest import vacancy

from ipsmatch.domain import OccupationMatch
from ipsmatch.explain_wish import OCCUPATION_REASON_MIN, search_reason, wish_reason
from ipsmatch.relevance import ISCO_CREDIT

AD = vacancy(title="Lagerarbejder", occupation_uri="u:lager", occupation_label="Lagerarbejder",
             text="Vi søger en stabil kollega.")


def own(wish: str) -> list[OccupationMatch]:
    return [OccupationMatch("u:lager", "lagerarbejder", 0.9)]


def sibling(wish: str) -> list[OccupationMatch]:
    return [OccupationMatch("u:pakker", "pakker", 0.9)]


def test_a_search_names_the_strongest_signal() -> None:
    r = search_reason(AD, "lager", {"text": 0.2, "semantic": 0.5})
    assert (r.code, r.params["signal"], r.params["wish"]) == ("search.match", "semantic", "lager")


def test_no_credit_is_no_match() -> None:
    assert wish_reason(AD, "lager", {"text": 0.0}).code == "wish.none"


def test_the_occupation_is_named_exact_or_as_its_group_and_weak_when_unsure() -> None:
    assert wish_reason(AD, "lager", {"occupation": 0.9}, occupations=own).code == \
        "wish.occupation"
    # credit through the ISCO group only: "same line of work", judged on the undivided score
    group = wish_reason(AD, "lager", {"occupation": 0.9 * ISCO_CREDIT}, occupations=sibling)
    assert group.code == "wish.occupation_group"
    weak = wish_reason(AD, "lager", {"occupation": 0.4 * ISCO_CREDIT, "text": 0.1},
                       occupations=sibling)
    assert weak.code == "wish.occupation_group_weak"
    # without a taxonomy every occupation credit is the ad's own, never weak
    assert wish_reason(AD, "lager", {"occupation": 0.3}).code == "wish.occupation"


def test_words_in_the_title_or_text_and_similar_content() -> None:
    below = OCCUPATION_REASON_MIN / 2
    assert wish_reason(AD, "lager", {"text": 0.8, "occupation": below},
                       occupations=own).code == "wish.title"
    assert wish_reason(AD, "kollega", {"text": 0.8}).code == "wish.text"
    assert wish_reason(AD, "pakning", {"text": 0.1, "semantic": 0.7}).code == "wish.semantic"
