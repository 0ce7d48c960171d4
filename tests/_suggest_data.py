"""Hand-built vacancies and employers for the suggest tests (no store, no feeds needed).

Postcodes around Aalborg: 9000 Aalborg, 9400 Nørresundby, 9200 Aalborg SV, 9220 Aalborg Ø,
9800 Hjørring (far), 8000 Aarhus (very far).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from ipsmatch.domain import Employer, Fact, OccupationMatch, Vacancy

if TYPE_CHECKING:
    from ipsmatch.matcher import Matcher

TODAY = date(2026, 11, 23)

LAGER_URI = "http://data.europa.eu/esco/occupation/lager"
LAGER2_URI = "http://data.europa.eu/esco/occupation/pakker"
BYG_URI = "http://data.europa.eu/esco/occupation/bygningsarbejder"
KOK_URI = "http://data.europa.eu/esco/occupation/kok"
BUTIK_URI = "http://data.europa.eu/esco/occupation/butik"

ISCO = {LAGER_URI: "isco/9333", LAGER2_URI: "isco/9333", BYG_URI: "isco/9313",
        KOK_URI: "isco/5120", BUTIK_URI: "isco/5223"}


def emp(name: str, cvr: str | None, postcode: str, industry: str | None = None,
        **attrs: Any) -> Employer:
    return Employer(name=name, cvr=cvr, postcode=postcode, industry=industry, attributes=attrs)


LAGERHUSET = emp("Lagerhuset A/S", "11111111", "9380", "Lager og logistik")
BYGMA = emp("Byggefirmaet Nord", "22222222", "9000", "Byggeri og anlæg")
KANTINEN = emp("Kantinen ApS", "33333333", "9400", "Restauranter og kantiner")
BUTIKKEN = emp("Butikken", "44444444", "9220", "Detailhandel")
FJERN = emp("Fjernlager Hjørring", "55555555", "9800", "Lager og logistik")
# An employer with no open vacancy: only known to the team (job development).
STILLE = emp("Stille Værksted", "66666666", "9400", "Lager og logistik",
             hired_through_ips_before=True, open_to_part_time=True)


def ad(ext: str, title: str, text: str, employer: Employer | None, postcode: str | None, *,
       hours: tuple[float | None, float | None] = (None, None),
       facts: dict[str, tuple[bool, str]] | None = None,
       schedule: dict[str, bool | None] | None = None,
       conditions: list[str] | None = None, occ: str | None = None,
       occ_label: str | None = None, posted: date | None = date(2026, 11, 16),
       deadline: date | None = date(2026, 12, 20)) -> Vacancy:
    return Vacancy(
        source="test", external_id=ext, title=title, text=text, employer=employer,
        postcode=postcode, hours_min=hours[0], hours_max=hours[1],
        facts=[Fact(k, v, phrase) for k, (v, phrase) in (facts or {}).items()],
        schedule=schedule or {}, work_conditions=conditions or [], occupation_uri=occ,
        occupation_label=occ_label, posted=posted, deadline=deadline)


def vacancies() -> list[Vacancy]:
    L = "Lager- og logistikmedarbejder"
    return [
        ad("v1", "Lagermedarbejder til pluk og pak",
           "Vi søger en lagermedarbejder til pluk og pak. Kun dagarbejde. Fleksibel mødetid.",
           LAGERHUSET, "9380", hours=(10, 15), occ=LAGER_URI, occ_label=L,
           facts={"night": (False, "Kun dagarbejde"),
                  "flexible_start": (True, "Fleksibel mødetid")}),
        ad("v2", "Lagermedarbejder nathold",
           "Lagerarbejde på nathold. Der er tunge løft.", LAGERHUSET, "9380", hours=(37, 37),
           occ=LAGER_URI, occ_label=L,
           facts={"night": (True, "nathold"), "heavy_lifting": (True, "Der er tunge løft")}),
        ad("v3", "Lagerassistent", "Lagerarbejde i dagtimerne, 8-12 timer om ugen.",
           LAGERHUSET, "9380", hours=(8, 12), occ=LAGER_URI, occ_label=L,
           facts={"night": (False, "i dagtimerne")}),
        ad("v4", "Lagermedarbejder", "Lager med roligt tempo.", LAGERHUSET, "9380",
           hours=(8, 12), occ=LAGER_URI, occ_label=L,
           facts={"low_tempo": (True, "roligt tempo")}),
        ad("v5", "Pakkemedarbejder", "Pakning af varer på lageret. Mulighed for deltid.",
           BYGMA, "9000", hours=(20, 30), occ=LAGER2_URI, occ_label="Pakker",
           facts={"part_time_possible": (True, "Mulighed for deltid")}),
        ad("v6", "Håndlanger på byggeplads", "Arbejde på en byggeplads i Aalborg.", BYGMA,
           "9000", hours=(37, 37), occ=BYG_URI, occ_label="Bygningsarbejder",
           facts={"heavy_lifting": (True, "tunge løft")}),
        ad("v7", "Kok til kantine", "Kantinekøkken, dagarbejde.", KANTINEN, "9400",
           hours=(30, 37), occ=KOK_URI, occ_label="Kok"),
        ad("v8", "Butiksassistent", "Butik med meget kundekontakt og weekendarbejde.",
           BUTIKKEN, "9220", hours=(15, 20), occ=BUTIK_URI, occ_label="Butiksassistent",
           facts={"customer_contact": (True, "meget kundekontakt"),
                  "weekend": (True, "weekendarbejde")}),
        ad("v9", "Lagermedarbejder i Hjørring", "Lagerarbejde.", FJERN, "9800", hours=(8, 12),
           occ=LAGER_URI, occ_label=L),
        ad("v10", "Lagermedarbejder med løntilskud", "Lagerarbejde med løntilskud.",
           LAGERHUSET, "9380", hours=(8, 12), occ=LAGER_URI, occ_label=L,
           conditions=["loentilskud"]),
        ad("v11", "Lagermedarbejder i fleksjob", "Lagerarbejde i fleksjob.", KANTINEN, "9400",
           hours=(8, 12), occ=LAGER_URI, occ_label=L, conditions=["fleksjob"]),
        ad("v12", "Lagerhjælp", "Lager, nattevagter efter behov.", BYGMA, "9000",
           hours=(8, 12), occ=LAGER_URI, occ_label=L, schedule={"night": True}),
        ad("v13", "Lagermand", "Lager, ukendt adresse.", None, None, hours=(None, None),
           occ=LAGER_URI, occ_label=L),
    ]


def employers() -> list[Employer]:
    return [LAGERHUSET, BYGMA, KANTINEN, BUTIKKEN, FJERN, STILLE]


PROFILE: dict[str, Any] = {
    "id": "c-0042",
    "home_postcode": "9400",
    "travel": {"mode": "bike", "max_minutes": 45},
    "hours": {"min": 8, "max": 12},
    "wishes": ["lagerarbejde", "arbejde på en byggeplads"],
    "avoid": ["kundekontakt", "butik"],
    "needs": ["no_night", "flexible_start"],
    "languages": ["da"],
}


class FakeOccupationMatcher:
    """Stands in for ipsmatch.taxonomy.OccupationMatcher: a fixed table of wish → concepts."""

    TABLE: ClassVar[dict[str, list[OccupationMatch]]] = {
        "lagerarbejde": [OccupationMatch(LAGER_URI, "Lager- og logistikmedarbejder", 0.95)],
        "arbejde på en byggeplads": [OccupationMatch(BYG_URI, "Bygningsarbejder", 0.8)],
        "transportarbejde": [OccupationMatch("isco/933", "Transport- og lagerarbejde", 0.8,
                                             kind="isco")],
        "akademisk": [OccupationMatch("isco/2", "Akademisk arbejde", 0.9, kind="isco")],
        "pakning": [OccupationMatch(LAGER2_URI, "Pakker", 0.9)],
    }

    def match(self, text: str, limit: int = 10) -> list[OccupationMatch]:
        return self.TABLE.get(text, [])[:limit]

    def isco_group(self, uri: str) -> str | None:
        return ISCO.get(uri) or (uri if uri.startswith("isco/") else None)


def demo_matcher() -> Matcher:
    """The suggest tests' matcher: these vacancies and employers, the fixed occupation table,
    today = TODAY (the ``demo_matcher`` fixture in conftest shares one per session)."""
    from ipsmatch.matcher import Matcher

    return Matcher.from_vacancies(vacancies(), employers(), FakeOccupationMatcher(), today=TODAY)
