"""Hypothesis strategies shared by the matcher and constraints tests: generated ads (hours,
facts, schedules, work conditions, places) and citizen profiles in file format."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from _suggest_data import TODAY
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ipsmatch.domain import FACT_KEYS, Employer, Fact, Vacancy
from ipsmatch.needs import NEEDS

POSTCODES = ["9000", "9400", "9380", "9220", "9200", "9800", "8000", None]
TITLES = ["Lagermedarbejder", "Kok", "Butiksassistent", "Håndlanger byggeplads",
          "Rengøringsassistent", "Chauffør", "Pakkemedarbejder"]
EMPS = [Employer(name=f"Firma {i}", cvr=f"{10000000 + i}") for i in range(6)]


@st.composite
def ads(draw: Any, n_min: int = 1, n_max: int = 25) -> list[Vacancy]:
    n = draw(st.integers(n_min, n_max))
    out = []
    for i in range(n):
        hmin = draw(st.one_of(st.none(), st.sampled_from([5.0, 8.0, 10.0, 15.0, 20.0, 37.0])))
        hmax = None if hmin is None else hmin + draw(st.sampled_from([0.0, 2.0, 5.0, 10.0]))
        facts = [Fact(k, draw(st.booleans()), f"frase {k}")
                 for k in draw(st.lists(st.sampled_from(FACT_KEYS), max_size=5, unique=True))]
        sched = {k: draw(st.sampled_from([True, False, None]))
                 for k in draw(st.lists(st.sampled_from(["night", "evening", "weekend",
                                                          "shifts"]), max_size=2, unique=True))}
        out.append(Vacancy(
            source="gen", external_id=str(i), title=draw(st.sampled_from(TITLES)),
            text=draw(st.sampled_from(["", "lager og pak", "kundekontakt i butik"])),
            employer=draw(st.sampled_from([*EMPS, None])),
            postcode=draw(st.sampled_from(POSTCODES)), hours_min=hmin, hours_max=hmax,
            facts=facts, schedule=sched,
            work_conditions=draw(st.lists(st.sampled_from(
                ["fleksjob", "loentilskud", "virksomhedspraktik", "skaanejob", "ordinary"]),
                max_size=2, unique=True)),
            posted=TODAY - timedelta(days=draw(st.integers(0, 90))),
            deadline=draw(st.one_of(st.none(), st.sampled_from(
                [TODAY + timedelta(days=d) for d in (-3, -1, 0, 2, 10)])))))
    return out


@st.composite
def profiles(draw: Any) -> dict[str, Any]:
    needs = draw(st.lists(st.sampled_from(sorted(NEEDS)), max_size=4, unique=True))
    hmin = draw(st.sampled_from([None, 5.0, 8.0]))
    home = draw(st.one_of(st.none(), st.tuples(st.floats(56.9, 57.2), st.floats(9.7, 10.1))))
    return {
        **({"home": {"lat": home[0], "lon": home[1]}} if home else {}),
        "id": "c-gen",
        "home_postcode": draw(st.sampled_from(["9000", "9400", "8000"])),
        "travel": {"mode": draw(st.sampled_from(["walk", "bike", "public", "car"])),
                   "max_minutes": draw(st.integers(10, 90))},
        "hours": {**({"min": hmin} if hmin else {}), "max": draw(st.sampled_from([12.0, 25.0])),
                  "must": draw(st.booleans())},
        "wishes": draw(st.lists(st.sampled_from(["lager", "kok", "butik", "byggeplads",
                                                 "rengøring"]), min_size=0, max_size=2)),
        "avoid": draw(st.lists(st.sampled_from(["kundekontakt", "butik", "nat"]), max_size=2)),
        "needs": [n if draw(st.booleans()) else {"code": n, "must": False} for n in needs],
        "fleksjob_approved": draw(st.booleans()),
        "accept_subsidised": draw(st.booleans()),
    }


PROPS = settings(max_examples=30, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
