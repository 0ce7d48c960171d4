"""Deterministic generator of realistic synthetic Danish vacancies, employers, citizens and
employer-contact logs, in the feed formats ipsmatch reads.

Everything here is synthetic: company names, CVR numbers (all start with 9, a range no real CVR
uses, and pass the CVR modulus-11 check), addresses, people and case references. The realism
comes from real open data read from ``shared/data`` (ESCO occupations with Danish labels, Danish
postcodes, Danish job-ad sentences from the kompetencer corpus).

    python benchmarks/synth.py --size 10000 --out /tmp/synth --seed 42 --region dk

Library use::

    employers, vacancies = generate(2000, seed=42, region="nordjylland")
    with JsonLdWriter(path) as w:
        for v in vacancies:          # a lazy iterator: memory stays flat for 1M ads
            w.write(v, employers[v.employer_index])
"""

from __future__ import annotations

import argparse
import bisect
import csv
import html
import io
import itertools
import json
import math
import os
import random
import re
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

REF_DATE = date(2026, 11, 16)
REPO = Path(__file__).resolve().parent.parent
SCHEDULE = ("day", "evening", "night", "weekend", "shifts")
CONDITIONS = ("ordinary", "fleksjob", "skaanejob", "loentilskud", "virksomhedspraktik")
NEEDS = ("no_night", "no_evening", "no_weekend", "no_shifts", "flexible_start", "extra_breaks",
         "quiet_workplace", "low_tempo", "no_heavy_lifting", "no_customer_contact",
         "fixed_tasks", "workplace_mentor")

VACANCY_CSV_COLUMNS = ("id", "title", "description", "employer_name", "employer_cvr", "address",
                       "postcode", "city", "lat", "lon", "hours_min", "hours_max", "work_hours",
                       "schedule", "employment_type", "work_conditions", "posted", "deadline",
                       "occupation", "url", "source")
EMPLOYER_CSV_COLUMNS = ("cvr", "name", "address", "postcode", "city", "lat", "lon", "industry",
                        "notes")
CONTACT_CSV_COLUMNS = ("date", "consultant", "employer_cvr", "employer_name", "citizen_id", "kind",
                       "purpose", "learned", "outcome", "next_step", "next_date", "note")
JOB_START_CSV_COLUMNS = ("citizen_id", "employer_cvr", "title", "start_date", "hours_per_week",
                         "competitive", "end_date", "end_reason")


def default_data_dir() -> Path:
    """``$IPSMATCH_SHARED_DATA``, else ``shared/data`` beside the repository."""
    env = os.environ.get("IPSMATCH_SHARED_DATA")
    if env:
        return Path(env)
    for cand in (REPO.parent / "shared" / "data", Path("/work/shared/data")):
        if cand.is_dir():
            return cand
    return REPO.parent / "shared" / "data"


# --- resources (real open data) ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Occupation:
    uri: str
    label_da: str
    alt_da: tuple[str, ...]
    isco: str
    label_en: str
    description_en: str


@dataclass(frozen=True, slots=True)
class Place:
    postcode: str
    city: str
    lat: float
    lon: float
    bbox: tuple[float, float, float, float]  # minlon, minlat, maxlon, maxlat
    municipality: str
    region: str
    share: float = 1.0  # a merged Copenhagen range is spread over the codes emitted for it


# Share of ads per ISCO major group: entry-level work (4, 5, 7, 8, 9) dominates, as on Jobnet
# for the jobs IPS citizens look for; specialists (2) and managers (1) still occur.
MAJOR_SHARE = {"9": 0.20, "5": 0.22, "4": 0.12, "7": 0.10, "8": 0.12, "3": 0.10, "2": 0.08,
               "1": 0.02, "6": 0.04}
# Unit groups that make up much of the real entry-level market (lager, rengøring, butik,
# køkken, pleje, transport, produktion, kontor, dyr, byggeri).
COMMON_UNITS = {
    "9111": 4, "9112": 10, "9121": 2, "9214": 3, "9313": 4, "9321": 5, "9329": 5, "9333": 8,
    "9411": 2, "9412": 8, "9621": 2, "9622": 3, "5120": 6, "5131": 5, "5223": 10, "5230": 5,
    "5246": 3, "5321": 5, "5322": 8, "5164": 3, "5414": 3, "5151": 2, "4110": 8, "4321": 6,
    "4222": 3, "4226": 4, "4311": 2, "4120": 3, "8322": 6, "8332": 5, "8344": 5, "8331": 3,
    "8160": 3, "8189": 2, "7512": 3, "7112": 2, "7115": 3, "7411": 2, "7231": 2, "6121": 3,
    "6111": 2, "6113": 2, "3412": 2, "2221": 2, "2341": 2, "5311": 4,
}
# The titles Jobnet shows most for entry-level work.
CORE_LABELS = frozenset((
    "rengøringsassistent", "kontormedarbejder", "lagerarbejder", "butiksassistent", "kok",
    "køkkenassistent", "social- og sundhedshjælper", "chauffør - vareudbringning",
    "gaffeltruckfører", "produktionsmedarbejder", "kasseassistent", "tjener", "receptionist",
    "buschauffør", "opvasker", "pakkeriassistent", "dyrepasserassistent", "gartnerimedarbejder",
    "anlægsarbejder", "social- og sundhedsassistent", "lagerekspedient", "bagerekspedient",
    "lastbilchauffør", "ejendomsservicetekniker", "kundeserviceassistent"))
_SPECIFIC = re.compile(r" (inden for|på|i|til|af|med) |-|—|,")


def _read_csv(path: Path, **kw: Any) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, **kw))


def _detok(tokens: Sequence[str]) -> str:
    s = " ".join(tokens)
    s = re.sub(r"\s+([.,:;?!)])", r"\1", s)
    s = re.sub(r"([(])\s+", r"\1", s)
    return s.strip()


# Sentences that would contradict the generated facts (hours, schedule, dates, names) or that
# belong to one profession only are left out of the generic pool.
_SENT_BAD = re.compile(
    r"<|\d|@|http|www|timer|nat|aften|weekend|skift|vagt|deltid|fuldtid|ansøgningsfrist|"
    r"senest|patient|børn|elev|barn|unge|leder|ledelse|chef|borger|undervis|forsk|klinik|"
    r"sygehus|hospital|skole|kommune|region|ph\.?d|universitet|kandidat|it-|software|stilling|"
    r"vikariat|pension|løn|overenskomst|rektor|søger|flekstid|kundekontakt|kørekort|kørerkort|"
    r"uddannet|student|jordemød|pædagog|sælg|salg|fysi|travl|tempo|rolig|mentor|kontaktperson|"
    r"pause|telefon|læge|urin|mobil|analys|politik|eksamen|ferie|forældre|gæst|kunde|bager|"
    r"smed|sekretær|dispatcher|faget|tjeep|great place", re.IGNORECASE)
# Hand-picked from what the filter above lets through: sentences that fit any entry-level ad.
# They are matched against the corpus, so the text really comes from the data.
GENERIC_SENTENCES = frozenset("""\
Der vil forud for ansættelsen blive indhentet straffeattest og referencer.
Det er afgørende at du er en stabil og pligtopfyldende medarbejder som går op i detaljen samt er effektiv.
Du bliver en del af: En stabil medarbejdergruppe med stor erfaring og høj faglighed.
Du er desuden serviceminded robust engageret stabil ansvarsbevidst og pligtopfyldende.
Du er fleksibel udadvendt præsentabel og tager nye udfordringer med et godt humør.
Du er i besiddelse af et stort overblik og arbejder struktureret og pligtopfyldende.
Du vil blive en del af et engageret fagligt miljø med en uformel omgangstone.
Du vil indgå i et grundigt introduktions- og oplæringsforløb for hurtigt at kunne arbejde selvstændigt med opgaverne.
Du vil komme til at indgå i et godt team hvor faglighed og høj kvalitet er en selvfølge.
Er du frisk og vil du arbejde sammen med to friske kollegaer?
Er energisk og villig til at arbejde hårdt og målrettet for at nå dine målsætninger.
Et uhøjtideligt miljø med et godt kollegialt sammenhold.
For os er det vigtigste at du har den rette personlighed og du besidder en jernvilje samt et personligt drive udover det sædvanlige.
Har overblik over flere opgaver samtidig og ”får ting til at ske”.
Jobbet kræver både gode samarbejds- og organisatoriske evner.
Lyder ovenstående som noget for dig modtager vi gerne en motiveret ansøgning.
Når du har sendt ansøgningen modtager du en e-mail som kvittering.
Som en del af jobbet vil du bliveintroduceret til dine kollegaers arbejdsopgaver.
Spørgsmål kan rettes til ovenstående mail.
Vi arbejder i det daglige med et stærkt engagement og en udstrakt grad af frihed under ansvar.
Vi glæder os til at modtage din ansøgning!
Vi har en god kantine ligger godt i forhold til transport både offentlig og privat transport og har i øvrigt parkeringspladser til alle medarbejdere.
Vi har et godt sammenhold med plads til humor og en uformel omgangstone.
Vi lægger vægt på at du har en anerkendende tilgang og et positivt livssyn samt en god portion humor.
Vi ser frem til at modtage din ansøgning.
Vi tilbyder: Gode kollegaer spændende og varierende opgaver med plads til personlig og faglig udvikling.
Ønskede kvalifikationer: Engageret selvstændig ansvarlig og serviceminded.
Ønsker til kommende kollega: Struktureret i dit arbejde – og lyst til at være med til at udvikle både afdelingen og dig selv.
Du skal kunne indgå i et læringsfællesskab med dine teamkollegaer.
Vil du være en del af en succes og kan du bidrage til fremtidig udvikling?
""".splitlines())  # noqa: E501
_ADJ = re.compile(r"^[a-zæøå]+(ig|sk|som|iv|et|ert|ende|bar|bevidst|minded|stabil|robust|kvik|"
                  r"frisk|åben|social|fleksibel)$")


def _load_sentences(data_dir: Path) -> tuple[list[str], list[str]]:
    sents: list[str] = []
    for name in ("kompetencer_danish_train.conll", "kompetencer_danish_test.conll"):
        path = data_dir / "kompetencer_da" / name
        cur: list[str] = []
        for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
            tok = line.split("\t")[0].strip()
            if tok:
                cur.append(tok)
                continue
            if cur:
                s = _detok(cur)
                cur = []
                words = s.split()
                if (6 <= len(words) <= 28 and s[0].isupper() and s[-1] in ".!?"
                        and len(words[-1]) > 4 and not _SENT_BAD.search(s)
                        and max(map(len, words)) <= 18):
                    sents.append(s)
    generic = [s for s in sents if s in GENERIC_SENTENCES]
    if len(generic) >= 10:
        sents = generic
    attitudes: list[str] = []
    for name in ("da_test.tsv", "2_da_train.tsv"):
        for line in (data_dir / "kompetencer_da" / name).read_text(encoding="utf-8").splitlines():
            span, _, tag = line.partition("\t")
            span = span.strip()
            if (tag.strip() == "A1" and _ADJ.match(span) and not span.endswith("tet")
                    and not _SENT_BAD.search(span)):
                attitudes.append(span)
    return sorted(set(sents)), sorted(set(attitudes))


class Resources:
    """The real data the generator draws on, loaded once per data directory."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        if not (self.data_dir / "esco_da" / "occupations_da.csv").is_file():
            raise FileNotFoundError(
                f"shared data not found in {self.data_dir}: pass --data-dir or set "
                "IPSMATCH_SHARED_DATA to the folder holding esco_da/, geo_dk/, kompetencer_da/")
        self.occupations = self._load_occupations()
        self.places = self._load_places()
        self.sentences, self.attitudes = _load_sentences(self.data_dir)
        self.by_uri = {o.uri: o for o in self.occupations}
        self.by_label = {o.label_da: o for o in self.occupations}
        self.by_postcode = {p.postcode: p for p in self.places}

    def occupation(self, label_da: str) -> Occupation:
        """The ESCO occupation with this Danish preferred label."""
        try:
            return self.by_label[label_da]
        except KeyError:
            raise ValueError(f"no ESCO occupation labelled {label_da!r}") from None

    def place(self, postcode: str) -> Place:
        try:
            return self.by_postcode[postcode]
        except KeyError:
            raise ValueError(f"unknown postcode {postcode!r}") from None

    def _load_occupations(self) -> list[Occupation]:
        rows = _read_csv(self.data_dir / "esco_da" / "occupations_da.csv")
        occs = []
        for r in rows:
            isco = r["iscoGroup"].strip()
            if not isco or isco[0] not in MAJOR_SHARE or not r["preferredLabel_da"].strip():
                continue
            alts = tuple(a.strip() for a in r["altLabels_da"].split("|") if a.strip())
            occs.append(Occupation(r["conceptUri"], r["preferredLabel_da"].strip(), alts, isco,
                                   r["preferredLabel_en"].strip(), r["description_en"].strip()))
        occs.sort(key=lambda o: o.uri)
        return occs

    def _load_places(self) -> list[Place]:
        geo = self.data_dir / "geo_dk"
        muni: dict[str, tuple[str, str, str]] = {}
        for r in _read_csv(geo / "postcode_municipality_region.csv", delimiter=";"):
            code = r["POSTNR"].strip().zfill(4)
            muni.setdefault(code, (r["ADRESSERINGSNAVN_1"], r["ADRESSERINGSNAVN"], r["BYNAVN"]))
        places = []
        for r in _read_csv(geo / "postcode_centroids.csv"):
            lo, _, hi = r["postnr"].strip().partition("-")
            bbox = (float(r["bbox_minlon"]), float(r["bbox_minlat"]), float(r["bbox_maxlon"]),
                    float(r["bbox_maxlat"]))
            # Copenhagen's merged ranges stand for many real postcodes: emit the real ones.
            codes = [f"{c:04d}" for c in range(int(lo), int(hi or lo) + 1)
                     if f"{c:04d}" in muni] or [lo.zfill(4)]
            picked = codes[:: max(1, len(codes) // 6)]
            for code in picked:
                m = muni.get(code) or ("", "", r["navn"])
                city = m[2] if hi else r["navn"]
                places.append(Place(code, city, float(r["lat"]), float(r["lon"]), bbox, m[0],
                                    m[1], 1.0 / len(picked)))
        return places


@lru_cache(maxsize=4)
def load_resources(data_dir: str | None = None) -> Resources:
    """Cached :class:`Resources` for ``data_dir`` (default: :func:`default_data_dir`)."""
    return Resources(Path(data_dir) if data_dir else None)


# --- weighting ---------------------------------------------------------------------------------

# No population file is bundled; as a documented proxy each postcode weighs 1, so a municipality
# weighs its number of postcodes, and the four big cities (and Frederiksberg) get a multiplier
# for their density. A town's main postcode (ending in 00) is usually its largest.
CITY_BOOST = {"Københavns Kommune": 6.0, "Frederiksberg Kommune": 3.0, "Aarhus Kommune": 5.0,
              "Odense Kommune": 4.0, "Aalborg Kommune": 4.0}

REGIONS = {"nordjylland": "Region Nordjylland", "midtjylland": "Region Midtjylland",
           "syddanmark": "Region Syddanmark", "hovedstaden": "Region Hovedstaden",
           "sjaelland": "Region Sjælland"}


def place_weight(p: Place) -> float:
    w = CITY_BOOST.get(p.municipality, 1.0) * p.share
    return w * (1.5 if p.postcode.endswith("00") else 1.0)


def occupation_weight(o: Occupation, unit_size: int) -> float:
    boost = COMMON_UNITS.get(o.isco, 1.0)
    # Within a unit group the plain label ("rengøringsassistent") is far more common in ads than
    # the specialised ones ("rengøringsassistent i tog").
    generic = 4.0 if not _SPECIFIC.search(o.label_da) and len(o.label_da.split()) <= 2 else 1.0
    if o.label_da in CORE_LABELS:
        generic *= 4.0
    return boost * generic / max(1, unit_size) ** 0.5


class _Picker:
    """Weighted choice with precomputed cumulative weights (O(log n) per draw)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]

    def __len__(self) -> int:
        return len(self.items)


def occupation_picker(res: Resources) -> _Picker:
    unit_sizes: dict[str, int] = {}
    for o in res.occupations:
        unit_sizes[o.isco] = unit_sizes.get(o.isco, 0) + 1
    raw = [occupation_weight(o, unit_sizes[o.isco]) for o in res.occupations]
    major_tot: dict[str, float] = {}
    for o, w in zip(res.occupations, raw, strict=True):
        major_tot[o.isco[0]] = major_tot.get(o.isco[0], 0.0) + w
    weights = [MAJOR_SHARE[o.isco[0]] * w / major_tot[o.isco[0]]
               for o, w in zip(res.occupations, raw, strict=True)]
    return _Picker(res.occupations, weights)


def place_picker(res: Resources, region: str | Sequence[str] | dict[str, float]) -> _Picker:
    """Places for ``region``: 'dk', a region key (see REGIONS), or explicit postcodes/weights."""
    if isinstance(region, dict) or not isinstance(region, str):
        wanted = dict(region) if isinstance(region, dict) else {pc: 1.0 for pc in region}
        places = [p for p in res.places if p.postcode in wanted]
        missing = set(wanted) - {p.postcode for p in places}
        if missing:
            raise ValueError(f"unknown postcodes: {sorted(missing)}")
        return _Picker(places, [wanted[p.postcode] * p.share for p in places])
    if region == "dk":
        places = res.places
    elif region in REGIONS:
        places = [p for p in res.places if p.region == REGIONS[region]]
    else:
        raise ValueError(f"unknown region {region!r}: use dk, {', '.join(REGIONS)}")
    return _Picker(places, [place_weight(p) for p in places])


# --- employers ---------------------------------------------------------------------------------

SURNAMES = ("Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
            "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen",
            "Thomsen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen",
            "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Schmidt",
            "Eriksen", "Holm", "Clausen", "Svendsen", "Iversen", "Østergaard", "Jeppesen",
            "Vestergaard", "Nissen", "Lauridsen", "Kjær", "Mogensen", "Skov", "Bach", "Dam",
            "Nørgaard", "Kjeldsen", "Brandt", "Bech", "Krogh", "Winther", "Dahl", "Lassen",
            "Friis", "Kirkegaard", "Buch", "Bundgaard", "Overgaard", "Thygesen", "Toft")
PLACE_WORDS = ("Lindely", "Kildegården", "Bøgely", "Solhaven", "Engbo", "Fjordblik", "Åbrinken",
               "Egebakken", "Rosenhaven", "Skovly", "Havnely", "Møllegården", "Birkehøj")
REGION_ADJ = {"Region Nordjylland": "Nordjysk", "Region Midtjylland": "Midtjysk",
              "Region Syddanmark": "Syddansk", "Region Hovedstaden": "Københavns",
              "Region Sjælland": "Sjællandsk"}
STREETS = ("Industrivej", "Havnegade", "Vestergade", "Østergade", "Nørregade", "Søndergade",
           "Jernbanegade", "Hovedgaden", "Stationsvej", "Skolevej", "Kirkevej", "Møllevej",
           "Engvej", "Bøgevej", "Lindevej", "Birkevej", "Erhvervsvej", "Håndværkervej",
           "Fabriksvej", "Lagervej", "Transportvej", "Gl. Landevej", "Parkvej", "Torvet",
           "Banegårdsvej", "Marken", "Ringvejen", "Smedevej", "Tømrervej", "Kærvej")

# ISCO sub-major group -> (industry, company name words). Industry is what an employer does,
# named the way a job consultant would note it.
SECTORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "11": ("Administration og ledelse", ("Holding", "Gruppen", "Invest")),
    "12": ("Administration og ledelse", ("Holding", "Gruppen", "Management")),
    "13": ("Produktion og logistik", ("Gruppen", "Industri", "Logistik")),
    "14": ("Handel og service", ("Handel", "Gruppen", "Service")),
    "21": ("Rådgivning og teknik", ("Rådgivning", "Ingeniørfirma", "Teknik")),
    "22": ("Sundhed", ("Lægehus", "Tandklinik", "Sundhedshus", "Dyreklinik")),
    "23": ("Undervisning", ("Sprogskole", "Kursuscenter", "Akademi")),
    "24": ("Rådgivning og finans", ("Revision", "Rådgivning", "Consult")),
    "25": ("IT", ("IT", "Data", "Digital")),
    "26": ("Kultur og rådgivning", ("Kommunikation", "Medier", "Rådgivning")),
    "31": ("Teknik og installation", ("Teknik", "Installation", "Automatik")),
    "32": ("Sundhed", ("Dyreklinik", "Apotek", "Laboratorium", "Tandklinik")),
    "33": ("Handel og kontor", ("Handel", "Engros", "Ejendomme", "Spedition")),
    "34": ("Socialområdet og fritid", ("Bosted", "Fritidscenter", "Idrætscenter")),
    "35": ("IT og teknik", ("IT-service", "Teknik", "Support")),
    "41": ("Kontor og administration", ("Administration", "Kontorservice", "Bogføring")),
    "42": ("Kundeservice", ("Kundeservice", "Callcenter", "Rejser")),
    "43": ("Lager og administration", ("Logistik", "Lager", "Distribution")),
    "44": ("Kontor og administration", ("Arkiv", "Kontorservice", "Post")),
    "51": ("Hotel, restaurant og service", ("Restaurant", "Kro", "Café", "Hotel", "Kantine")),
    "52": ("Detailhandel", ("Supermarked", "Købmand", "Isenkram", "Tøj", "Byggemarked")),
    "53": ("Pleje og omsorg", ("Plejecenter", "Hjemmepleje", "Bosted", "Omsorg")),
    "54": ("Sikkerhed og vagt", ("Sikkerhed", "Vagt", "Security")),
    "61": ("Landbrug og dyr", ("Landbrug", "Gartneri", "Kvægbrug", "Dyrepension", "Rideskole")),
    "62": ("Skovbrug og fiskeri", ("Skovservice", "Fiskeri", "Havbrug")),
    "63": ("Landbrug og dyr", ("Landbrug", "Gartneri")),
    "71": ("Byggeri", ("Byg", "Entreprise", "Tømrer", "Murer", "Maler")),
    "72": ("Metal og maskiner", ("Metal", "Smedie", "Maskinværksted", "Auto")),
    "73": ("Håndværk", ("Tryk", "Keramik", "Skilte")),
    "74": ("El og installation", ("El", "El-service", "Installation")),
    "75": ("Fødevarer og håndværk", ("Bageri", "Slagter", "Møbler", "Mejeri")),
    "81": ("Produktion", ("Produktion", "Plast", "Fødevarer", "Emballage", "Industri")),
    "82": ("Produktion", ("Montage", "Industri", "Produktion")),
    "83": ("Transport", ("Vognmand", "Transport", "Taxa", "Bus", "Kørsel")),
    "91": ("Rengøring og service", ("Rengøring", "Service", "Facility", "Vinduespolering")),
    "92": ("Landbrug og grønne områder", ("Anlæg", "Gartneri", "Landbrug", "Have og Park")),
    "93": ("Lager og produktion", ("Lager", "Logistik", "Byg", "Pakkeri", "Flytteforretning")),
    "94": ("Køkken og kantine", ("Kantine", "Køkken", "Pizzeria", "Grill", "Catering")),
    "95": ("Service", ("Service", "Salg")),
    "96": ("Renovation og service", ("Renovation", "Genbrug", "Budservice", "Service")),
}
VENUES = frozenset(("Plejecenter", "Bosted", "Pizzeria", "Café", "Restaurant", "Kro", "Hotel",
                    "Rideskole", "Gartneri", "Dyrepension", "Kantine", "Fritidscenter",
                    "Dyreklinik", "Tandklinik", "Lægehus", "Købmand"))
FORMS = ("ApS", "ApS", "A/S", "I/S", "")


@dataclass(slots=True)
class SynthEmployer:
    cvr: str
    name: str
    address: str
    postcode: str
    city: str
    lat: float
    lon: float
    industry: str
    notes: str
    sector: str           # ISCO sub-major group it mostly hires in
    active: bool          # has current vacancies
    weight: float         # relative hiring volume
    region: str = ""

    def row(self) -> dict[str, str]:
        return {"cvr": self.cvr, "name": self.name, "address": self.address,
                "postcode": self.postcode, "city": self.city, "lat": f"{self.lat:.5f}",
                "lon": f"{self.lon:.5f}", "industry": self.industry, "notes": self.notes}


def cvr_numbers(n: int, seed: int) -> list[str]:
    """``n`` unique synthetic CVR numbers: 9xxxxxxx, modulus-11 valid, order shuffled by seed."""
    if n > 900_000:
        raise ValueError("at most 900,000 synthetic CVR numbers")
    # An affine bijection on 0..999999 spreads the numbers without storing a used-set.
    mult, off = 7919, (seed * 104_729) % 1_000_000
    weights = (2, 7, 6, 5, 4, 3, 2)
    out: list[str] = []
    k = 0
    while len(out) < n:
        body = f"9{(mult * k + off) % 1_000_000:06d}"
        k += 1
        check = -sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
        if check < 10:
            out.append(body + str(check))
    return out


def is_valid_cvr(cvr: str) -> bool:
    """8 digits whose weighted sum (2,7,6,5,4,3,2,1) is divisible by 11."""
    return (len(cvr) == 8 and cvr.isdigit()
            and sum(int(d) * w for d, w in zip(cvr, (2, 7, 6, 5, 4, 3, 2, 1), strict=True)) % 11
            == 0)


def _jitter(rng: random.Random, p: Place) -> tuple[float, float]:
    minlon, minlat, maxlon, maxlat = p.bbox
    lat = min(maxlat, max(minlat, rng.gauss(p.lat, (maxlat - minlat) / 8)))
    lon = min(maxlon, max(minlon, rng.gauss(p.lon, (maxlon - minlon) / 8)))
    return round(lat, 5), round(lon, 5)


def _company_name(rng: random.Random, sector: str, place: Place) -> str:
    words = SECTORS[sector][1]
    word = rng.choice(words)
    sur = rng.choice(SURNAMES)
    form = rng.choice(FORMS)
    town = place.city.split()[0] if len(place.city) > 3 else place.city
    pattern = rng.randrange(9)
    if word in ("Plejecenter", "Bosted") and pattern < 5:
        return f"{word} {rng.choice(PLACE_WORDS)}"
    if pattern == 0:
        name = f"{sur} & Søn"
    elif pattern == 1:
        name = f"{sur}s {word}"
    elif pattern == 2:
        name = f"{REGION_ADJ.get(place.region, 'Dansk')} {word}"
    elif pattern == 3:
        name = f"{town} {word}"
    elif pattern == 4:
        name = f"{sur} & {rng.choice(SURNAMES)}"
    elif pattern == 5:
        name = f"{word}huset {town}" if " " not in word and "-" not in word else f"{town} {word}"
    elif pattern in (6, 7):
        name = f"{sur} {word}"
    elif pattern == 7 and word in VENUES:
        name = f"{word} {rng.choice(PLACE_WORDS)}"
    else:
        name = f"{town}s {word}" if not town.endswith("s") else f"{town} {word}"
    return f"{name} {form}".strip()


EMPLOYER_NOTES = ("", "", "", "Familieejet virksomhed.", "Har mange deltidsansatte.",
                  "Sæsonudsving i bemandingen.", "Har tidligere haft praktikanter.",
                  "Flere afdelinger i området.", "Mindre virksomhed med få ansatte.")


def generate_employers(n: int, seed: int, places: _Picker, sectors: _Picker,
                       idle_share: float = 0.2) -> list[SynthEmployer]:
    """``n`` employers; about ``idle_share`` of them have no current vacancy."""
    rng = random.Random(f"employers:{seed}")
    cvrs = cvr_numbers(n, seed)
    seen: set[str] = set()
    out = []
    for i in range(n):
        sector = sectors(rng)
        place = places(rng)
        name = _company_name(rng, sector, place)
        base = name
        while name in seen:  # two different companies never share a name in the fixtures
            name = f"{base} {place.city}" if base == name else f"{base} {rng.randrange(2, 99)}"
        seen.add(name)
        lat, lon = _jitter(rng, place)
        out.append(SynthEmployer(
            cvr=cvrs[i], name=name, address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
            postcode=place.postcode, city=place.city, lat=lat, lon=lon,
            industry=SECTORS[sector][0], notes=rng.choice(EMPLOYER_NOTES), sector=sector,
            active=rng.random() >= idle_share, weight=rng.lognormvariate(0, 0.6),
            region=place.region))
    return out


# --- vacancies ---------------------------------------------------------------------------------

@dataclass(slots=True)
class SynthVacancy:
    id: str
    source: str
    title: str
    lang: str
    occupation: Occupation
    employer_index: int
    address: str
    postcode: str
    city: str
    lat: float
    lon: float
    hours_min: float | None
    hours_max: float | None
    work_hours: str            # Danish free text, "" when not stated
    full_time: bool | None     # None: not stated
    employment_type: str       # FULL_TIME / PART_TIME / TEMPORARY / ""
    temporary: bool
    schedule_true: frozenset[str]            # what the job really involves
    schedule_field: frozenset[str]           # stated in a structured field
    schedule_text: frozenset[str]            # stated in the text
    facts: frozenset[str]                    # non-schedule facts stated in the text
    work_conditions: tuple[str, ...]         # stated codes; empty = not stated
    posted: date
    deadline: date | None
    paragraphs: list[str] = field(default_factory=list)
    url: str = ""
    occupation_as_uri: bool = False
    region: str = ""

    @property
    def description_html(self) -> str:
        return "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in self.paragraphs)

    @property
    def description_text(self) -> str:
        return "\n\n".join(self.paragraphs)


PART_TIME = ((8, 12, 8), (10, 15, 8), (15, 20, 12), (15, 25, 15), (20, 25, 10), (20, 30, 12),
             (25, 30, 8), (8, 8, 3), (10, 10, 4), (15, 15, 5), (20, 20, 7), (25, 25, 5),
             (30, 30, 3))
_PT_PICK = _Picker(PART_TIME, [w for *_, w in PART_TIME])

SCHED_DA = {
    "day": ("Arbejdet foregår i dagtimerne.",
            "Arbejdstiden ligger i dagtimerne, mandag til fredag.", "Der er tale om dagarbejde."),
    "evening": ("Der er aftenvagter.", "Arbejdstiden ligger primært om aftenen.",
                "Der forekommer aftenarbejde."),
    "night": ("Der er nattevagter.", "Arbejdet omfatter nattevagter.",
              "Du skal kunne arbejde om natten."),
    "weekend": ("Weekendarbejde forekommer.", "Du skal kunne arbejde hver anden weekend.",
                "Der er arbejde i weekenden."),
    "shifts": ("Der arbejdes i skiftehold (tre-holdsskift).", "Arbejdet foregår i toholdsskift.",
               "Der er skifteholdsarbejde."),
}
SCHED_EN = {
    "day": ("Working hours are during the day, Monday to Friday.",),
    "evening": ("The job includes evening shifts.",),
    "night": ("The job includes night shifts.",),
    "weekend": ("Weekend work is required.",),
    "shifts": ("We work in shifts (three-shift rotation).",),
}
SCHED_FIELD_DA = {"day": "dagarbejde", "evening": "aftenarbejde", "night": "nattevagter",
                  "weekend": "weekendarbejde", "shifts": "skiftehold"}
FACT_DA = {
    "flexible_start": ("Vi tilbyder fleksibel mødetid.", "Der er mulighed for fleksibel mødetid."),
    "heavy_lifting": ("Jobbet indebærer tunge løft.", "Der er en del tunge løft i hverdagen."),
    "customer_contact": ("Du skal have kundekontakt.", "Du får daglig kontakt med kunder."),
    "high_tempo": ("Vi har et højt tempo.", "Der er travlt, og tempoet er højt."),
    "low_tempo": ("Arbejdet foregår i et roligt tempo.",),
    "quiet_workplace": ("Rolige omgivelser.", "Du får en arbejdsplads med rolige omgivelser."),
    "fixed_tasks": ("Du får faste opgaver og en genkendelig hverdag.",
                    "Opgaverne er faste og rutineprægede."),
    "mentor": ("Du får en fast kontaktperson.", "Du får en mentor i den første tid."),
    "extra_breaks": ("Der er mulighed for pauser efter behov.",),
    "part_time_possible": ("Der er mulighed for nedsat tid.",),
    "driving_licence": ("Du skal have kørekort.", "Det er et krav, at du har kørekort."),
    "standing": ("Arbejdet er primært stående.",),
}
FACT_EN = {
    "flexible_start": ("We offer flexible starting times.",),
    "heavy_lifting": ("The job involves heavy lifting.",),
    "customer_contact": ("You will be in daily contact with customers.",),
    "high_tempo": ("The pace is high.",),
    "low_tempo": ("The work is done at a calm pace.",),
    "quiet_workplace": ("The workplace is quiet.",),
    "fixed_tasks": ("You will have fixed tasks and a predictable routine.",),
    "mentor": ("You will have a mentor during your first weeks.",),
    "extra_breaks": ("Breaks can be taken as needed.",),
    "part_time_possible": ("Reduced hours are possible.",),
    "driving_licence": ("A driving licence is required.",),
    "standing": ("The work is mostly done standing.",),
}
COND_DA = {
    "fleksjob": "Stillingen er et fleksjob, og du skal være visiteret til fleksjob.",
    "skaanejob": "Stillingen er et skånejob for personer på førtidspension.",
    "loentilskud": "Stillingen er et job med løntilskud.",
    "virksomhedspraktik": "Der er tale om virksomhedspraktik i op til 13 uger.",
}
COND_EN = {
    "fleksjob": "This is a flexjob (fleksjob); you must be approved for fleksjob.",
    "skaanejob": "This is a sheltered job (skånejob) for people on disability pension.",
    "loentilskud": "This is a wage-subsidised job (løntilskud).",
    "virksomhedspraktik": "This is a work placement (virksomhedspraktik) of up to 13 weeks.",
}
INTRO_DA = ("{emp} søger en {title} til {city}.",
            "Vil du være en del af vores team i {city}? Vi søger en {title}.",
            "Vi har travlt og søger derfor en ny {title}.",
            "Hos {emp} i {city} mangler vi en {title}.")
INTRO_EN = ("{emp} is looking for a {title} in {city}.",
            "Join our team in {city}: we are hiring a {title}.")
CLOSE_DA = ("Send din ansøgning senest {deadline}.", "Vi holder samtaler løbende.",
            "Tiltrædelse hurtigst muligt.", "Vi glæder os til at høre fra dig.")
CLOSE_EN = ("Please apply by {deadline}.", "We interview continuously.",
            "We look forward to hearing from you.")
HOURS_DA_FULL = ("Stillingen er på 37 timer om ugen.", "Der er tale om en fuldtidsstilling "
                 "på 37 timer.")
CONDITION_NAMES = {"ordinary": "Almindelige vilkår", "fleksjob": "Fleksjob",
                   "skaanejob": "Skånejob", "loentilskud": "Job med løntilskud",
                   "virksomhedspraktik": "Virksomhedspraktik"}
CONDITION_IDS = {"ordinary": 1, "fleksjob": 2, "skaanejob": 3, "loentilskud": 5,
                 "virksomhedspraktik": 7}


def _hours_text(lo: float, hi: float) -> str:
    if lo == hi:
        return f"{lo:g} timer" if lo >= 37 else f"{lo:g} timer om ugen"
    return f"{lo:g}-{hi:g} timer om ugen"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


class Generator:
    """Makes vacancies one at a time; vacancy ``i`` depends only on (seed, i), not on order."""

    def __init__(self, resources: Resources, seed: int, region: Any = "dk", *,
                 n_employers: int, ref_date: date = REF_DATE, idle_share: float = 0.2,
                 source: str = "synth") -> None:
        self.res = resources
        self.seed = seed
        self.ref_date = ref_date
        self.source = source
        self.occ_pick = occupation_picker(resources)
        self.places = place_picker(resources, region)
        # Employers are spread over sectors like the ads are, so every common job has hirers.
        sector_w: dict[str, float] = {}
        prev = 0.0
        for o, c in zip(self.occ_pick.items, self.occ_pick.cum, strict=True):
            sector_w[o.isco[:2]] = sector_w.get(o.isco[:2], 0.0) + (c - prev)
            prev = c
        sectors = sorted(s for s in sector_w if s in SECTORS)
        self.employers = generate_employers(
            n_employers, seed, self.places, _Picker(sectors, [sector_w[s] for s in sectors]),
            idle_share)
        by_sector: dict[str, list[int]] = {}
        by_major: dict[str, list[int]] = {}
        for i, e in enumerate(self.employers):
            if e.active:
                by_sector.setdefault(e.sector, []).append(i)
                by_major.setdefault(e.sector[0], []).append(i)
        active = [i for i, e in enumerate(self.employers) if e.active] or list(
            range(len(self.employers)))
        mk = self._emp_picker
        self._by_sector = {s: mk(ix) for s, ix in by_sector.items()}
        self._by_major = {m: mk(ix) for m, ix in by_major.items()}
        self._any = mk(active)

    def add_employer(self, sector: str, postcode: str, key: str) -> int:
        """Add one more (active) employer in ``postcode`` hiring in ISCO sub-major ``sector``;
        returns its index. ``key`` makes it deterministic."""
        rng = random.Random(f"employer:{self.seed}:{key}")
        place = self.res.place(postcode)
        taken = {e.cvr for e in self.employers}
        cvr = next(c for c in cvr_numbers(len(self.employers) + 50, self.seed + 1)
                   if c not in taken)
        names = {e.name for e in self.employers}
        name = _company_name(rng, sector, place)
        while name in names:
            name = _company_name(rng, sector, place)
        lat, lon = _jitter(rng, place)
        self.employers.append(SynthEmployer(
            cvr=cvr, name=name, address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
            postcode=place.postcode, city=place.city, lat=lat, lon=lon,
            industry=SECTORS[sector][0], notes=rng.choice(EMPLOYER_NOTES), sector=sector,
            active=True, weight=1.0, region=place.region))
        return len(self.employers) - 1

    def _emp_picker(self, idx: list[int]) -> _Picker:
        return _Picker(idx, [self.employers[i].weight for i in idx])

    def pick_employer(self, rng: random.Random, occ: Occupation) -> int:
        p = (self._by_sector.get(occ.isco[:2]) or self._by_major.get(occ.isco[0]) or self._any)
        return int(p(rng))

    def vacancy(self, i: int, *, occupation: Occupation | None = None,
                employer_index: int | None = None, **overrides: Any) -> SynthVacancy:
        """Vacancy number ``i``. Overrides (e.g. ``schedule={'night'}``, ``hours=(8, 12)``,
        ``facts={'quiet_workplace'}``, ``conditions=('fleksjob',)``, ``lang='da'``,
        ``posted_days_ago=3``) pin what a demo needs; everything else stays random."""
        rng = random.Random(f"vacancy:{self.seed}:{i}")
        occ = occupation or self.occ_pick(rng)
        emp_i = self.pick_employer(rng, occ) if employer_index is None else employer_index
        emp = self.employers[emp_i]
        lang = overrides.get("lang") or ("en" if rng.random() < 0.10 else "da")
        major = occ.isco[0]

        # hours: ~65 % full time 37 h, ~30 % part time, ~5 % not stated
        conds = overrides.get("conditions")
        if conds is None:
            r = rng.random()
            conds = (("fleksjob",) if r < 0.03 else ("skaanejob",) if r < 0.05 else
                     ("loentilskud",) if r < 0.06 else ("virksomhedspraktik",) if r < 0.067
                     else ("ordinary",) if r < 0.75 else ())
        if "hours" in overrides:
            hours = overrides["hours"]
        else:
            r = rng.random()
            if conds and conds[0] in ("fleksjob", "skaanejob") and r < 0.8:
                lo, hi, _ = _PT_PICK(rng)
                hours = (min(lo, 15), min(hi, 20))
            elif r < 0.69:  # fleksjob/skånejob ads above pull the full-time share down to ~65 %
                hours = (37, 37)
            elif r < 0.95:
                lo, hi, _ = _PT_PICK(rng)
                hours = (lo, hi)
            else:
                hours = None
        temporary = bool(overrides.get("temporary", rng.random() < 0.12
                                       or "virksomhedspraktik" in conds))
        if hours is None:
            full_time, etype, work_hours = None, ("TEMPORARY" if temporary else ""), ""
            hmin = hmax = None
        else:
            hmin, hmax = float(hours[0]), float(hours[1])
            full_time = hmax >= 37
            etype = "TEMPORARY" if temporary else ("FULL_TIME" if full_time else "PART_TIME")
            work_hours = _hours_text(hmin, hmax)

        # schedule: what is true, and where it is said
        if "schedule" in overrides:
            true = set(overrides["schedule"])
        else:
            true = set()
            # Night and shift work cluster in care, production, transport and service work.
            manual = major in "5789"
            if rng.random() < (0.08 if manual else 0.05 if major == "3" else 0.015):
                true.add("night")
                true.update(k for k, p in (("shifts", .6), ("weekend", .5), ("evening", .5))
                            if rng.random() < p)
            else:
                true.update(k for k, p in (("evening", .074), ("weekend", .096),
                                           ("shifts", .065 if manual else .015))
                            if rng.random() < p)
            no_odd = not true & {"night", "evening", "shifts"}
            if (no_odd and rng.random() < 0.95) or ("evening" in true and rng.random() < 0.5):
                true.add("day")
        stated = overrides.get("schedule_stated")
        if stated is None:
            # Ads with nothing but day work often say nothing at all about the schedule.
            plain = true <= {"day"}
            stated = set() if (plain and rng.random() < 0.5) else set(true)
            if stated and rng.random() < 0.05 and not plain:
                stated.discard(rng.choice(sorted(stated)))  # unknown must occur for flags too
        stated = set(stated)
        # Iterate in a fixed order: set order varies with PYTHONHASHSEED, and so would the draws.
        in_field = {k for k in SCHEDULE if k in stated and rng.random() < 0.75}
        if "schedule_field" in overrides:
            in_field = set(overrides["schedule_field"]) & stated
        in_text = {k for k in SCHEDULE if k in stated and (k not in in_field
                                                           or rng.random() < 0.8)}

        # other facts, by kind of work
        facts: set[str] = set(overrides.get("facts", ()))
        if "facts" not in overrides:
            for key, p in (
                ("heavy_lifting", {"9": .35, "7": .3, "8": .25, "6": .3}.get(major, .03)),
                ("customer_contact", {"5": .55, "4": .3, "2": .1}.get(major, .03)),
                ("high_tempo", .18), ("quiet_workplace", .07 if major in "49" else .03),
                ("low_tempo", .03), ("flexible_start", .10), ("fixed_tasks", .08),
                ("mentor", .08), ("extra_breaks", .02), ("part_time_possible", .05),
                ("standing", .1 if major in "589" else .02),
                ("driving_licence", .75 if occ.isco.startswith("83") else .04),
            ):
                if rng.random() < p:
                    facts.add(key)
            if "high_tempo" in facts:
                facts.discard("low_tempo")
        facts -= set(overrides.get("no_facts", ()))

        # dates: posted in the 30 days before ref_date, deadline 1-6 weeks after, a few past
        age = overrides.get("posted_days_ago", rng.randint(0, 30))
        posted = self.ref_date - timedelta(days=age)
        if rng.random() < 0.05:
            deadline = None
        elif rng.random() < 0.04 and age > 8:  # already past: feeds keep some expired ads
            deadline = self.ref_date - timedelta(days=rng.randint(1, age - 7))
        else:
            deadline = posted + timedelta(days=max(7, min(42, age + rng.randint(1, 30))))

        title_base = occ.label_en if lang == "en" else (
            rng.choice(occ.alt_da) if occ.alt_da and rng.random() < 0.2 else occ.label_da)
        title = overrides.get("title") or _cap(title_base)
        if "title" not in overrides and lang == "da" and rng.random() < 0.12:
            suffix = {True: " - fuldtid", False: " - deltid", None: " søges"}[full_time]
            title += rng.choice((" søges", f" til {emp.city}", suffix))

        paras = self._text(rng, lang, occ, emp.name, emp.city, title_base, work_hours, full_time,
                           in_text, true, facts, conds, deadline)
        vid = overrides.get("id") or f"{7_000_000 + i}"
        return SynthVacancy(
            id=vid, source=overrides.get("source", self.source), title=title, lang=lang,
            occupation=occ, employer_index=emp_i, address=emp.address, postcode=emp.postcode,
            city=emp.city, lat=emp.lat, lon=emp.lon, hours_min=hmin, hours_max=hmax,
            work_hours=work_hours, full_time=full_time, employment_type=etype,
            temporary=temporary, schedule_true=frozenset(true), schedule_field=frozenset(in_field),
            schedule_text=frozenset(in_text), facts=frozenset(facts),
            work_conditions=tuple(conds), posted=posted, deadline=deadline, paragraphs=paras,
            url=f"https://job.example.dk/annonce/{vid}", occupation_as_uri=rng.random() < 0.2,
            region=emp.region)

    def _text(self, rng: random.Random, lang: str, occ: Occupation, emp: str, city: str,
              title: str, work_hours: str, full_time: bool | None, sched: set[str],
              true: set[str], facts: set[str], conds: Sequence[str],
              deadline: date | None) -> list[str]:
        dl = deadline.strftime("%d.%m.%Y") if deadline else "snarest"
        paras: list[str] = []
        if lang == "en":
            paras.append(rng.choice(INTRO_EN).format(emp=emp, title=title, city=city))
            if occ.description_en:
                paras.append(occ.description_en)
            facts_s = [rng.choice(FACT_EN[f]) for f in sorted(facts)]
            if work_hours:
                facts_s.insert(0, "The position is full time, 37 hours a week." if full_time
                               else f"The position is {work_hours.split(' timer')[0]} hours a "
                               "week.")
            facts_s += [rng.choice(SCHED_EN[k]) for k in SCHEDULE if k in sched]
            facts_s += [COND_EN[c] for c in conds if c in COND_EN]
            rng.shuffle(facts_s)
            if facts_s:
                paras.append(" ".join(facts_s))
            paras.append(rng.choice(CLOSE_EN).format(deadline=dl))
            return paras
        paras.append(rng.choice(INTRO_DA).format(emp=emp, title=title, city=city))
        body = rng.sample(self.res.sentences, k=min(len(self.res.sentences), rng.randint(1, 3)))
        others = [a for a in occ.alt_da if a != title]
        if others and rng.random() < 0.5:
            body.insert(0, f"Jobbet kaldes også {rng.choice(others)}.")
        if self.res.attitudes and rng.random() < 0.7:
            a, b = rng.sample(self.res.attitudes, 2)
            body.append(f"Vi forventer, at du er {a} og {b}.")
        paras.append(" ".join(body))
        facts_s = [rng.choice(FACT_DA[f]) for f in sorted(facts)]
        if work_hours:
            facts_s.insert(0, rng.choice(HOURS_DA_FULL) if full_time else rng.choice((
                f"Arbejdstiden er {work_hours}.", f"Stillingen er på {work_hours}.",
                f"Der er tale om en deltidsstilling på {work_hours}.")))
        facts_s += [rng.choice(SCHED_DA[k]) for k in SCHEDULE if k in sched]
        if true == {"day"} and "day" in sched and rng.random() < 0.3:
            facts_s.append("Der er ingen aften- eller nattevagter.")
        facts_s += [COND_DA[c] for c in conds if c in COND_DA]
        if facts_s:
            paras.append(" ".join(facts_s))
        paras.append(rng.choice(CLOSE_DA).format(deadline=dl))
        return paras


def generate(size: int, seed: int = 42, region: Any = "dk", *, ref_date: date = REF_DATE,
             n_employers: int | None = None, idle_share: float = 0.2,
             resources: Resources | None = None, source: str = "synth",
             ) -> tuple[list[SynthEmployer], Iterator[SynthVacancy]]:
    """``(employers, vacancies)``: a list of ~size/5 employers and a lazy vacancy iterator.

    Same arguments, same output. ``region`` is 'dk', a region key ('nordjylland', ...), or a
    list/dict of postcodes (with weights).
    """
    gen = Generator(resources or load_resources(), seed, region,
                    n_employers=n_employers or max(10, math.ceil(size / 5)), ref_date=ref_date,
                    idle_share=idle_share, source=source)
    return gen.employers, (gen.vacancy(i) for i in range(size))


# --- writers -----------------------------------------------------------------------------------

def _date_iso(d: date | None) -> str:
    return d.isoformat() if d else ""


class _Writer:
    def __init__(self, path: Path, encoding: str = "utf-8") -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh: io.TextIOWrapper = self.path.open("w", encoding=encoding, newline="")
        self.count = 0

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.fh.close()

    def write(self, v: SynthVacancy, e: SynthEmployer) -> None:
        raise NotImplementedError


def jsonld_record(v: SynthVacancy, e: SynthEmployer) -> dict[str, Any]:
    """One schema.org JobPosting as a dict."""
    wh = v.work_hours
    extra = [SCHED_FIELD_DA[k] for k in SCHEDULE if k in v.schedule_field]
    if extra:
        wh = ", ".join([wh, *extra]) if wh else ", ".join(extra)
    rec: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "JobPosting", "title": v.title,
        "description": v.description_html,
        "identifier": {"@type": "PropertyValue", "name": v.source, "value": v.id},
        "datePosted": v.posted.isoformat(),
    }
    if v.deadline:
        rec["validThrough"] = v.deadline.isoformat()
    if v.employment_type:
        rec["employmentType"] = v.employment_type
    if wh:
        rec["workHours"] = wh
    rec["hiringOrganization"] = {"@type": "Organization", "name": e.name, "identifier": e.cvr}
    rec["jobLocation"] = {"@type": "Place",
                          "address": {"@type": "PostalAddress", "postalCode": v.postcode,
                                      "addressLocality": v.city, "streetAddress": v.address,
                                      "addressCountry": "DK"},
                          "geo": {"@type": "GeoCoordinates", "latitude": v.lat,
                                  "longitude": v.lon}}
    rec["occupationalCategory"] = v.occupation.uri if v.occupation_as_uri else \
        v.occupation.label_da
    rec["inLanguage"] = v.lang
    rec["url"] = v.url
    return rec


class JsonLdWriter(_Writer):
    """schema.org JobPosting, one JSON object per line."""

    def write(self, v: SynthVacancy, e: SynthEmployer) -> None:
        self.fh.write(json.dumps(jsonld_record(v, e), ensure_ascii=False) + "\n")
        self.count += 1


def vacancy_row(v: SynthVacancy, e: SynthEmployer) -> dict[str, str]:
    """One row of the vacancy CSV."""
    return {
        "id": v.id, "title": v.title, "description": v.description_text,
        "employer_name": e.name, "employer_cvr": e.cvr, "address": v.address,
        "postcode": v.postcode, "city": v.city, "lat": f"{v.lat:.5f}", "lon": f"{v.lon:.5f}",
        "hours_min": "" if v.hours_min is None else f"{v.hours_min:g}",
        "hours_max": "" if v.hours_max is None else f"{v.hours_max:g}",
        "work_hours": v.work_hours,
        "schedule": ";".join(k for k in SCHEDULE if k in v.schedule_field),
        "employment_type": v.employment_type,
        "work_conditions": ";".join(v.work_conditions), "posted": v.posted.isoformat(),
        "deadline": _date_iso(v.deadline), "occupation": v.occupation.label_da, "url": v.url,
        "source": v.source,
    }


class CsvWriter(_Writer):
    """The vacancy CSV (UTF-8, comma, header row)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.w = csv.DictWriter(self.fh, fieldnames=VACANCY_CSV_COLUMNS, lineterminator="\n")
        self.w.writeheader()

    def write(self, v: SynthVacancy, e: SynthEmployer) -> None:
        self.w.writerow(vacancy_row(v, e))
        self.count += 1


JOBNET_LOOKUPS = {
    "WorkSchedule": [{"Id": 1, "Name": "Fuldtid"}, {"Id": 16, "Name": "Deltid"}],
    "WorkConditions": [{"Id": 1, "Name": "Almindelige vilkår"}, {"Id": 2, "Name": "Fleksjob"},
                       {"Id": 3, "Name": "Skånejob"},
                       {"Id": 4, "Name": "Egnet til efterlønnere og seniorer"},
                       {"Id": 5, "Name": "Job med løntilskud"}, {"Id": 6, "Name": "Rotationsjob"},
                       {"Id": 7, "Name": "Virksomhedspraktik"}],
    "EmploymentTypes": [{"Id": 1, "Name": "Fastansættelse"},
                        {"Id": 16, "Name": "Tidsbegrænset ansættelse"}],
}
NO_DATE = "0001-01-01T00:00:00"


def _jn_date(d: date | None) -> str:
    return f"{d.isoformat()}T00:00:00" if d else NO_DATE


def _jn_hours(v: SynthVacancy) -> str:
    return "" if v.full_time is None else ("Fuldtid" if v.full_time else "Deltid")


def jobnet_posting(v: SynthVacancy, e: SynthEmployer) -> dict[str, Any]:
    """One entry of a Jobnet search page's ``JobPositionPostings``."""
    teaser = "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in v.paragraphs[:2])
    cond = next((CONDITION_NAMES[c] for c in v.work_conditions if c != "ordinary"), "")
    return {
        "AutomatchType": 0, "Abroad": False, "Weight": 1.0, "Title": v.title,
        "JobHeadline": v.title, "Presentation": teaser, "HiringOrgName": e.name,
        "WorkPlaceAddress": v.address, "WorkPlacePostalCode": v.postcode,
        "WorkPlaceCity": v.city, "WorkPlaceOtherAddress": False, "WorkPlaceAbroad": False,
        "WorkPlaceNotStatic": False, "UseWorkPlaceAddressForJoblog": True,
        "PostingCreated": _jn_date(v.posted), "LastDateApplication": _jn_date(v.deadline),
        "FormattedLastDateApplication": v.deadline.strftime("%d.%m.%Y") if v.deadline else "",
        "AssignmentStartDate": NO_DATE, "IsHotjob": False, "IsExternal": False, "Url": v.url,
        "Region": v.region.removeprefix("Region "), "Municipality": "", "Country": "Danmark",
        "PostalCode": v.postcode, "PostalCodeName": None, "JobAnnouncementType": cond,
        "EmploymentType": "Tidsbegrænset ansættelse" if v.temporary else "Fastansættelse",
        "WorkHours": _jn_hours(v), "OccupationArea": "", "OccupationGroup": "",
        "Occupation": _cap(v.occupation.label_da), "Location": {"Latitude": v.lat,
                                                                 "Longitude": v.lon},
        "JoblogWorkTime": {"WorkHour": None, "DailyWorkTime": None}, "WorkplaceID": 0,
        "OrganisationId": "", "HiringOrgCVR": int(e.cvr), "UserLoggedIn": False,
        "AnonymousEmployer": False, "ShareUrl": v.url, "DetailsUrl": v.url, "JobLogUrl": v.url,
        "HasLocationValues": True, "ID": v.id, "Latitude": v.lat, "Longitude": v.lon,
    }


def jobnet_detail(v: SynthVacancy, e: SynthEmployer) -> dict[str, Any]:
    """A Jobnet detail record (``JobPostingExtended``) for one ad.

    The ad's own work conditions are in ``JobPositionPosting.WorkConditions`` (the top-level
    ``WorkConditions`` is Jobnet's lookup list, copied unchanged as in the real sample).
    """
    addr = {"AddressLine": v.address, "Country": {"Id": 58, "Name": "Danmark"},
            "PostalCode": v.postcode, "City": v.city}
    hours_type = ({"TypeId": 1, "TypeName": "Fuldtid", "Description": None} if v.full_time
                  else {"TypeId": 16, "TypeName": "Deltid", "Description": None}
                  if v.full_time is False else {"TypeId": 0, "TypeName": "", "Description": None})
    part = v.full_time is False
    org = {"Name": e.name, "Address": addr, "WebAddress": None, "OrganizationNumber": e.cvr}
    return {
        **JOBNET_LOOKUPS,
        "WorkPlace": org,
        "JobPositionPosting": {
            "Id": int(v.id), "OriginalJppId": int(v.id), "HiringOrg": org,
            "PublicationStartDate": _jn_date(v.posted),
            "PublicationEndDate": _jn_date(v.deadline),
            "JobPositionInformation": {
                "PositionTitle": v.title, "Purpose": v.description_html,
                "WorkLocation": addr, "EmploymentType": 16 if v.temporary else 1,
                "WeeklyWorkHours": hours_type, "NumberToFill": 1, "DriverLicense": [],
                "JppContacts": [],
            },
            "WorkConditions": [{"Id": CONDITION_IDS[c], "Name": CONDITION_NAMES[c]}
                               for c in v.work_conditions],
            "IsDisabilityFriendly": any(c in ("fleksjob", "skaanejob")
                                        for c in v.work_conditions),
            "ApplicationDetails": {
                "WorkHourMax": int(v.hours_max) if part and v.hours_max else None,
                "WorkHourMin": int(v.hours_min) if part and v.hours_min else None,
                "DailyWorkTimeWeekend": "weekend" in v.schedule_field,
                "DailyWorkTimeNight": "night" in v.schedule_field,
                "DailyWorkTimeEvening": "evening" in v.schedule_field,
                "DailyWorkTimeDay": "day" in v.schedule_field,
                "ApplicationDeadlineDate": _jn_date(v.deadline),
            },
        },
        "Address": f"{v.address},{v.postcode}, {v.city}",
        "OrganizationNumber": e.cvr,
    }


class JobnetWriter(_Writer):
    """A Jobnet search page (UTF-8 with BOM), streamed; detail files for some ads."""

    def __init__(self, path: Path, details_dir: Path | None = None, details_every: int = 0,
                 max_details: int = 200) -> None:
        super().__init__(path, encoding="utf-8-sig")
        self.details_dir = Path(details_dir) if details_dir else None
        self.details_every = details_every
        self.max_details = max_details
        self.details = 0
        self.fh.write('{"Expression": {"Offset": 0, "SortValue": "CreationDate"}, '
                      '"Facets": {}, "JobPositionPostings": [\n')

    def write(self, v: SynthVacancy, e: SynthEmployer) -> None:
        self.fh.write(("" if self.count == 0 else ",\n")
                      + json.dumps(jobnet_posting(v, e), ensure_ascii=False))
        if (self.details_dir and self.details_every and self.count % self.details_every == 0
                and self.details < self.max_details):
            self.details_dir.mkdir(parents=True, exist_ok=True)
            path = self.details_dir / f"JobPostingExtended_{v.id}.json"
            path.write_text(json.dumps(jobnet_detail(v, e), ensure_ascii=False, indent=1),
                            encoding="utf-8-sig")
            self.details += 1
        self.count += 1

    def close(self) -> None:
        if not self.fh.closed:
            self.fh.write(f'\n], "TotalResultCount": {self.count}}}\n')
        super().close()


def write_employers_csv(path: Path, employers: Iterable[SynthEmployer]) -> int:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=EMPLOYER_CSV_COLUMNS, lineterminator="\n")
        w.writeheader()
        for e in employers:
            w.writerow(e.row())
            n += 1
    return n


def write_rows(path: Path, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> int:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)
            n += 1
    return n


# --- citizens, contacts, job starts -------------------------------------------------------------

WISHES = ("lagerarbejde", "rengøring", "butik", "køkkenmedhjælper", "chauffør", "kontor",
          "noget med dyr", "pleje", "produktion", "gartner", "pedel", "kantine", "tankstation",
          "arbejde på en byggeplads", "postomdeling", "værksted", "it-support", "bager")
AVOIDS = ("kundekontakt", "butik", "nattevagt", "storkøkken", "telefonsalg", "callcenter")
CONSULTANTS = ("kons-anna", "kons-bo", "kons-camilla")


def citizen_to_toml(c: dict[str, Any]) -> str:
    """The citizen profile as TOML (stdlib has a TOML reader only)."""
    def val(x: Any) -> str:
        if isinstance(x, bool):
            return "true" if x else "false"
        if isinstance(x, int | float):
            return f"{x:g}" if isinstance(x, float) else str(x)
        if isinstance(x, str):
            return json.dumps(x, ensure_ascii=False)
        if isinstance(x, list):
            return "[" + ", ".join(val(i) for i in x) + "]"
        if isinstance(x, dict):
            return "{ " + ", ".join(f"{k} = {val(v)}" for k, v in x.items()) + " }"
        raise TypeError(type(x))
    top = [f"{k} = {val(v)}" for k, v in c.items() if not isinstance(v, dict)]
    tables = [f"\n[{k}]\n" + "\n".join(f"{kk} = {val(vv)}" for kk, vv in v.items())
              for k, v in c.items() if isinstance(v, dict)]
    return "\n".join(top) + "\n" + "\n".join(tables) + "\n"


def generate_citizens(n: int, seed: int, places: _Picker, ref_date: date = REF_DATE
                      ) -> list[dict[str, Any]]:
    """``n`` varied pseudonymous citizen profiles (no CPR, no diagnosis)."""
    rng = random.Random(f"citizens:{seed}")
    out = []
    for i in range(n):
        mode = rng.choices(("walk", "bike", "public", "car"), (1, 3, 4, 3))[0]
        lo = rng.choice((5, 8, 10, 15, 20, 25, 37))
        hi = min(37, lo + rng.choice((0, 4, 5, 10, 12)))
        needs: list[Any] = []
        for code in rng.sample(NEEDS, rng.randint(0, 3)):
            needs.append(code if rng.random() < 0.6 else {"code": code, "must": False})
        out.append({
            "id": f"sag-{1001 + i}", "home_postcode": places(rng).postcode,
            "travel": {"mode": mode, "max_minutes": rng.choice((20, 30, 40, 45, 60))},
            "hours": {"min": lo, "max": hi, "must": rng.random() < 0.4},
            "wishes": rng.sample(WISHES, rng.randint(1, 3)),
            "avoid": rng.sample(AVOIDS, rng.randint(0, 2)), "needs": needs,
            "languages": ["da"] if rng.random() < 0.85 else ["da", "en"],
            "fleksjob_approved": rng.random() < 0.12, "accept_subsidised": rng.random() < 0.2,
            "consultant": rng.choice(CONSULTANTS),
            "start_date": (ref_date - timedelta(days=rng.randint(10, 200))).isoformat(),
        })
    return out


LEARNED = ("open_to_part_time", "open_to_flexible_start", "quiet_workplace_available",
           "hired_through_ips_before", "mentor_available", "no_openings_now")
NOTES_LEARN = ("Talte med indehaveren om, hvordan en typisk arbejdsdag ser ud.",
               "Fik en rundvisning på lageret.", "Lederen fortalte om travle perioder i sæsonen.",
               "Virksomheden mangler folk til de tidlige morgentimer.",
               "De har gode erfaringer med nedsat tid i opstarten.",
               "Drøftede opgaver, der kan løses uden kundekontakt.",
               "Der er et roligt baglokale, hvor man kan arbejde alene.")
NOTES_PRESENT = ("Præsenterede en kandidat med erfaring fra lagerarbejde.",
                 "Fortalte om en kandidat, der gerne vil starte med få timer.",
                 "Lederen vil gerne mødes med kandidaten.",
                 "Aftalte en prøvedag i næste uge.")
NOTES_FOLLOW = ("Opfølgning: det går godt, og timerne er sat lidt op.",
                "Opfølgning: lederen er tilfreds med samarbejdet.",
                "Opfølgning: aftalte faste mødetider.", "Kort status pr. telefon.")
NEXT_STEPS = {"learn_business": ("Send information om IPS", "Ring igen om to uger",
                                 "Besøg igen med en kandidat"),
              "present_candidate": ("Aftal samtale", "Aftal prøvedag", "Ring og hør svar"),
              "follow_up": ("Ny opfølgning", "Opfølgning med lederen", "Tal om flere timer")}


def generate_contacts(employers: Sequence[SynthEmployer], citizens: Sequence[dict[str, Any]],
                      seed: int, ref_date: date = REF_DATE, weeks: int = 10,
                      per_week: tuple[int, int] = (6, 9), late_citizen: str | None = None,
                      ) -> list[dict[str, str]]:
    """An IPS-style employer-contact log: each consultant makes several face-to-face employer
    contacts a week over the last ``weeks`` weeks. ``late_citizen``'s first contact comes more
    than 30 days after their start date."""
    rng = random.Random(f"contacts:{seed}")
    by_cons: dict[str, list[dict[str, Any]]] = {}
    for c in citizens:
        by_cons.setdefault(c.get("consultant") or CONSULTANTS[0], []).append(c)
    start = ref_date - timedelta(weeks=weeks)
    rows: list[dict[str, str]] = []
    known: dict[str, list[SynthEmployer]] = {k: [] for k in CONSULTANTS}
    contacted: set[str] = set()
    for cons in CONSULTANTS:
        for wk in range(weeks):
            monday = start + timedelta(weeks=wk, days=-start.weekday())
            for _ in range(rng.randint(*per_week)):
                day = monday + timedelta(days=rng.randint(0, 4))
                if day >= ref_date:
                    continue
                pool = known[cons]
                if pool and rng.random() < 0.4:
                    emp = rng.choice(pool)
                    purpose = rng.choice(("present_candidate", "follow_up", "follow_up"))
                else:
                    emp = rng.choice(employers)
                    pool.append(emp)
                    purpose = "learn_business" if rng.random() < 0.8 else "present_candidate"
                cits = [c for c in by_cons.get(cons, [])
                        if date.fromisoformat(c["start_date"]) <= day
                        and not (c["id"] == late_citizen and
                                 (day - date.fromisoformat(c["start_date"])).days <= 30)]
                # IPS starts the employer work for a new citizen quickly; except late_citizen,
                # those not yet presented anywhere come first.
                fresh = [c for c in cits if c["id"] not in contacted]
                pool_c = fresh if fresh and rng.random() < 0.7 else cits
                cit = rng.choice(pool_c)["id"] if pool_c and purpose != "learn_business" else ""
                if cit:
                    contacted.add(cit)
                if purpose != "learn_business" and not cit:
                    purpose = "learn_business"
                kind = rng.choices(("face-to-face", "phone", "email", "other"), (70, 18, 9, 3))[0]
                learned = sorted(rng.sample(LEARNED, rng.randint(0, 2))) \
                    if purpose == "learn_business" else []
                note = rng.choice({"learn_business": NOTES_LEARN,
                                   "present_candidate": NOTES_PRESENT,
                                   "follow_up": NOTES_FOLLOW}[purpose])
                outcome = rng.choice({"learn_business": ("interested", "not_now", "interested",
                                                         "meeting_booked"),
                                      "present_candidate": ("interview_booked", "not_now",
                                                            "trial_day", "hired"),
                                      "follow_up": ("ongoing", "ongoing", "more_hours")}[purpose])
                nxt = day + timedelta(days=rng.randint(3, 21))
                rows.append({"date": day.isoformat(), "consultant": cons,
                             "employer_cvr": emp.cvr, "employer_name": emp.name,
                             "citizen_id": cit, "kind": kind, "purpose": purpose,
                             "learned": ";".join(learned), "outcome": outcome,
                             "next_step": rng.choice(NEXT_STEPS[purpose]),
                             "next_date": nxt.isoformat(), "note": note})
    rows.sort(key=lambda r: (r["date"], r["consultant"], r["employer_cvr"]))
    return rows


def generate_job_starts(contacts: Sequence[dict[str, str]], seed: int, res: Resources,
                        ref_date: date = REF_DATE,
                        employers: Sequence[SynthEmployer] = ()) -> list[dict[str, str]]:
    """Job starts following ``present_candidate`` contacts that ended in a hire."""
    rng = random.Random(f"jobstarts:{seed}")
    occ = occupation_picker(res)
    sector = {e.cvr: e.sector for e in employers}

    def title(cvr: str) -> str:
        # A job the employer would hire for: same ISCO sub-major group when we know it.
        o = occ(rng)
        for _ in range(500):
            if (cvr not in sector or o.isco.startswith(sector[cvr])) \
                    and not _SPECIFIC.search(o.label_da):
                break
            o = occ(rng)
        return _cap(o.label_da)

    rows = []
    seen: set[tuple[str, str]] = set()
    for c in contacts:
        if c["purpose"] != "present_candidate" or c["outcome"] != "hired" or not c["citizen_id"]:
            continue
        key = (c["citizen_id"], c["employer_cvr"])
        if key in seen:
            continue
        seen.add(key)
        start = date.fromisoformat(c["date"]) + timedelta(days=rng.randint(5, 20))
        if start > ref_date:
            continue
        competitive = rng.random() < 0.8
        ended = rng.random() < 0.25
        end = start + timedelta(days=rng.randint(10, 40)) if ended else None
        rows.append({"citizen_id": c["citizen_id"], "employer_cvr": c["employer_cvr"],
                     "title": title(c["employer_cvr"]), "start_date": start.isoformat(),
                     "hours_per_week": str(rng.choice((8, 10, 12, 15, 20, 25))),
                     "competitive": "true" if competitive else "false",
                     "end_date": end.isoformat() if end and end <= ref_date else "",
                     "end_reason": rng.choice(("quit", "contract_ended", "dismissed"))
                     if end and end <= ref_date else ""})
    return rows


# --- CLI ---------------------------------------------------------------------------------------

FORMATS = ("jsonld", "jobnet", "csv")


def write_all(out: Path, size: int, seed: int = 42, region: str = "dk",
              formats: Sequence[str] = FORMATS, ref_date: date = REF_DATE,
              citizens: int = 20, details: int = 50,
              resources: Resources | None = None) -> dict[str, Any]:
    """Generate and write every requested format into ``out`` in one streaming pass."""
    out = Path(out)
    bad = set(formats) - set(FORMATS)
    if bad:
        raise ValueError(f"unknown formats {sorted(bad)}: choose from {', '.join(FORMATS)}")
    res = resources or load_resources()
    employers, vacancies = generate(size, seed, region, ref_date=ref_date, resources=res)
    writers: list[_Writer] = []
    if "jsonld" in formats:
        writers.append(JsonLdWriter(out / "vacancies.jsonld.jsonl"))
    if "jobnet" in formats:
        writers.append(JobnetWriter(out / "jobnet_page.json", out / "jobnet_details",
                                    details_every=max(1, size // max(1, details)),
                                    max_details=details))
    if "csv" in formats:
        writers.append(CsvWriter(out / "vacancies.csv"))
    try:
        for v in vacancies:
            e = employers[v.employer_index]
            for w in writers:
                w.write(v, e)
    finally:
        for w in writers:
            w.close()
    write_employers_csv(out / "employers.csv", employers)
    cits = generate_citizens(citizens, seed, place_picker(res, region), ref_date)
    (out / "citizens.jsonl").write_text(
        "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cits), encoding="utf-8")
    contacts = generate_contacts(employers, cits, seed, ref_date,
                                 late_citizen=cits[0]["id"] if cits else None)
    write_rows(out / "contacts.csv", CONTACT_CSV_COLUMNS, contacts)
    write_rows(out / "job_starts.csv", JOB_START_CSV_COLUMNS,
               generate_job_starts(contacts, seed, res, ref_date, employers))
    return {"vacancies": size, "employers": len(employers), "citizens": len(cits),
            "contacts": len(contacts)}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, required=True, help="number of vacancies")
    ap.add_argument("--out", type=Path, required=True, help="output directory")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--region", default="dk", help=f"dk or one of: {', '.join(REGIONS)}")
    ap.add_argument("--formats", default=",".join(FORMATS),
                    help="comma-separated: jsonld,jobnet,csv")
    ap.add_argument("--ref-date", type=date.fromisoformat, default=REF_DATE,
                    help="reference 'today' (ads are posted in the 30 days before it)")
    ap.add_argument("--citizens", type=int, default=20)
    ap.add_argument("--details", type=int, default=50, help="max Jobnet detail files")
    ap.add_argument("--data-dir", type=Path, default=None,
                    help="shared data folder (default: $IPSMATCH_SHARED_DATA or ../shared/data)")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        res = load_resources(str(a.data_dir) if a.data_dir else None)
        stats = write_all(a.out, a.size, a.seed, a.region,
                          [f.strip() for f in a.formats.split(",") if f.strip()], a.ref_date,
                          a.citizens, a.details, res)
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stats["seconds"] = round(time.perf_counter() - t0, 2)
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
