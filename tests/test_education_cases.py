"""Education suggestions judged like vacancies: labelled cases over the demo catalogue.

Each case is a citizen (profile dict) with the offers that must come first (``top``: the
first suggestion is one of them) and the offers that must never appear (``never``). The cases
were written before the education ranking was tuned (committed first as an expected failure).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from conftest import FIXTURES

from ipsmatch.education import read_catalogue, suggest_education
from ipsmatch.profile import profile_from_dict

TODAY = date(2026, 11, 16)


@pytest.fixture(scope="module")
def offers() -> list[Any]:
    return read_catalogue(FIXTURES / "education" / "catalogue.csv")


@pytest.fixture(scope="module")
def occupations() -> Any:
    from ipsmatch.taxonomy import OccupationMatcher

    return OccupationMatcher.load(semantic="off")


def _p(cid: str, pc: str, mode: str, minutes: int, wishes: list[str], **kw: Any) -> dict:
    return {"id": cid, "home_postcode": pc, "travel": {"mode": mode, "max_minutes": minutes},
            "wishes": wishes, **kw}


CASES: list[tuple[str, dict, set[str], set[str]]] = [
    # an education wish for a trade: the nearby school first; the far one and STU never
    ("kok-aalborg", _p("e1", "9000", "public", 45, ["uddannelse som kok"]),
     {"tca-gastronom"}, {"eucnord-gastronom", "stu-aalborg"}),
    # the same wish from Hjørring: the Hjørring school, not Aalborg's
    ("kok-hjoerring", _p("e2", "9800", "car", 30, ["uddannelse som kok"]),
     {"eucnord-gastronom"}, {"tca-gastronom", "stu-aalborg"}),
    # "tage hf" names the type: hf in Hjørring; never the one out of reach
    ("hf-hjoerring", _p("e3", "9800", "car", 35, ["tage hf"]),
     {"vucnord-hf-hjoerring"}, {"vucnord-hf-aalborg", "tca-gastronom"}),
    # FVU for reading and writing, at low hours: FVU on top, full-time offers never
    ("fvu-low-hours", _p("e4", "9000", "bike", 30, ["FVU dansk"],
                         hours={"min": 4, "max": 8, "must": True}),
     {"vucnord-fvu-dansk"}, {"vucnord-hf-aalborg", "tca-gastronom", "ahs-kontor"}),
    # an occupation wish (not an education wish) with no matching education in the career
    # profile: the education that leads to it is suggested
    ("occupation-toemrer", _p("e5", "9000", "public", 45, ["tømrer"]),
     {"tca-toemrer"}, {"eucnord-toemrer", "tca-murer", "stu-aalborg"}),
    # ... but not when the career profile already shows that education
    ("toemrer-already-trained", _p("e6", "9000", "public", 45, ["tømrer"], career={
        "education": [{"name": "Tømrer", "level": "eud", "completed": True, "year": 2012}]}),
     set(), {"tca-toemrer", "eucnord-toemrer"}),
    # the only start has passed: never the murer offer
    ("murer-start-passed", _p("e7", "9000", "public", 45, ["uddannelse som murer"]),
     set(), {"tca-murer"}),
    # truck licence wish without a driving licence: the AMU course on top (with a concern),
    # the Hjørring one is out of reach
    ("lastbil-aalborg", _p("e8", "9220", "public", 40, ["lastbilchauffør"]),
     {"amu-lastbil"}, {"eucnord-lastbil"}),
    # special education only when asked for
    ("stu-not-asked", _p("e9", "9000", "public", 45, ["en uddannelse"]),
     set(), {"stu-aalborg"}),
    ("stu-asked", _p("e10", "9000", "public", 45, ["en uddannelse"],
                     career={"special_education": True}),
     set(), set()),
    # social- og sundhedshjælper: SOSU Nord in Aalborg
    ("sosu", _p("e11", "9000", "public", 45, ["uddannelse til social- og sundhedshjælper"]),
     {"sosunord-hjaelper"}, {"stu-aalborg", "ucn-sygeplejerske"}),
    # a warehouse wish from Nørresundby by bike: Aalborg Øst (both warehouse offers) is some
    # 9 km away, about 25-40 min by bike, so the 30-minute limit falls inside the estimate's
    # band: shown, with "tjek ruten". (Changed twice: the case first expected them on top,
    # then - with postcode-area centroids - expected them out of reach; the commute rule of
    # #13 puts them back within the band.)
    ("lager-bike", _p("e12", "9400", "bike", 30, ["lagerarbejde"]),
     {"tca-lager", "amu-truck"}, {"stu-aalborg", "tca-gastronom"}),
    # the same wish by public transport (45 min): the warehouse education or the truck course
    ("lager", _p("e13", "9400", "public", 45, ["lagerarbejde"]),
     {"tca-lager", "amu-truck"}, {"stu-aalborg", "tca-gastronom"}),
]


@pytest.mark.parametrize(("name", "profile", "top", "never"), CASES, ids=[c[0] for c in CASES])
def test_education_case(name: str, profile: dict, top: set[str], never: set[str],
                        offers: list[Any], occupations: Any) -> None:
    got = suggest_education(profile_from_dict(profile), offers, today=TODAY,
                            occupations=occupations.match)
    ids = [s.offer.id for s in got]
    if top:
        assert ids and ids[0] in top, f"{name}: first {ids[:3]}, want one of {sorted(top)}"
    assert not set(ids) & never, f"{name}: {sorted(set(ids) & never)} must not appear"
    for s in got:
        assert s.reasons, f"{name}: {s.offer.id} has no reasons"


def test_special_education_appears_when_asked(offers: list[Any], occupations: Any) -> None:
    p = profile_from_dict(_p("e10", "9000", "public", 45, ["en uddannelse"],
                             career={"special_education": True}))
    ids = [s.offer.id for s in suggest_education(p, offers, today=TODAY,
                                                 occupations=occupations.match, limit=50)]
    assert "stu-aalborg" in ids


def test_a_lacking_requirement_is_a_concern_a_met_one_a_reason(offers: list[Any],
                                                             occupations: Any) -> None:
    base = _p("e8", "9220", "public", 40, ["lastbilchauffør"])
    lacking = suggest_education(profile_from_dict(base), offers, today=TODAY,
                                occupations=occupations.match)[0]
    assert "requirement.lacking" in [c.code for c in lacking.concerns]
    met = suggest_education(profile_from_dict({**base, "certificates": ["driving_licence_b"]}),
                            offers, today=TODAY, occupations=occupations.match)[0]
    assert "requirement.met" in [r.code for r in met.reasons]
    assert "requirement.lacking" not in [c.code for c in met.concerns]
