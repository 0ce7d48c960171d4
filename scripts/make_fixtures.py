"""Build the bundled demo fixtures (a North Jutland demo region) with benchmarks/synth.py.

    python scripts/make_fixtures.py [--out fixtures] [--seed 42]

Deterministic: running it twice gives the same bytes. ~270 random vacancies plus a few dozen
placed on purpose so that each demo citizen has fitting jobs within their commute, and some that
break their must-haves (night shifts, too far, too many hours), so filtering is visible.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import synth  # noqa: E402

REF_DATE = date(2026, 11, 16)
# Postcode -> relative weight: Aalborg and its suburbs, Hjørring and the towns around them.
DEMO_POSTCODES = {"9000": 6, "9200": 3, "9210": 2, "9220": 3, "9400": 3, "9230": 1, "9260": 1,
                  "9310": 1, "9430": 1, "9700": 2, "9760": 1, "9800": 3, "9850": 1, "9870": 1,
                  "9900": 2}
N_RANDOM = 270
N_EMPLOYERS = 118

CITIZENS: list[dict[str, Any]] = [
    {"id": "demo-01", "home_postcode": "9400", "travel": {"mode": "bike", "max_minutes": 30},
     "hours": {"min": 8, "max": 12, "must": False},
     "wishes": ["lagerarbejde", "arbejde på en byggeplads"], "avoid": ["kundekontakt", "butik"],
     "needs": ["no_night", {"code": "quiet_workplace", "must": False}, "flexible_start"],
     "languages": ["da"], "fleksjob_approved": False, "accept_subsidised": False,
     "consultant": "kons-anna", "start_date": "2026-10-20"},
    {"id": "demo-02", "home_postcode": "9000", "travel": {"mode": "public", "max_minutes": 45},
     "hours": {"min": 10, "max": 15, "must": True},
     "wishes": ["rengøring", "køkkenmedhjælper"], "avoid": ["storkøkken"],
     "needs": ["extra_breaks", {"code": "low_tempo", "must": False}, "no_heavy_lifting"],
     "languages": ["da"], "fleksjob_approved": True, "accept_subsidised": True,
     "consultant": "kons-bo", "start_date": "2026-09-22"},
    {"id": "demo-03", "home_postcode": "9800", "travel": {"mode": "car", "max_minutes": 35},
     "hours": {"min": 25, "max": 37, "must": False},
     "wishes": ["chauffør", "lastbilchauffør"], "avoid": [],
     "needs": ["no_weekend", {"code": "no_night", "must": False}],
     "languages": ["da"], "fleksjob_approved": False, "accept_subsidised": False,
     "consultant": "kons-camilla", "start_date": "2026-09-29"},
    {"id": "demo-04", "home_postcode": "9700", "travel": {"mode": "public", "max_minutes": 40},
     "hours": {"min": 15, "max": 20, "must": False},
     "wishes": ["noget med dyr", "dyrepasser", "landbrug"], "avoid": ["kundekontakt"],
     "needs": ["workplace_mentor", {"code": "no_customer_contact", "must": False}],
     "languages": ["da"], "fleksjob_approved": False, "accept_subsidised": True,
     "consultant": "kons-anna", "start_date": "2026-09-10"},
    {"id": "demo-05", "home_postcode": "9200", "travel": {"mode": "public", "max_minutes": 30},
     "hours": {"min": 5, "max": 10, "must": True},
     "wishes": ["kontor", "administration", "receptionist"], "avoid": ["telefonsalg"],
     "needs": ["no_evening", "fixed_tasks", {"code": "no_customer_contact", "must": False}],
     "languages": ["da", "en"], "fleksjob_approved": False, "accept_subsidised": False,
     "consultant": "kons-bo", "start_date": "2026-10-05"},
]
# demo-04's employer contacts only began more than 30 days after referral (a fidelity flag).
LATE_CITIZEN = "demo-04"

# Ads placed for the demo citizens: (key, occupation label, postcode, overrides).
# "fit" ads suit the citizen; "break" ads violate a must-have so the filter shows.
D, N = {"day"}, {"night", "shifts"}
TARGETED: list[tuple[str, str, str, dict[str, Any]]] = [
    # demo-01: Nørresundby, bike 30 min, 8-12 h, lager/byggeplads, no night, quiet, flexible
    ("d1-fit-lager", "lagerarbejder", "9400", dict(hours=(8, 12), schedule=D,
     facts={"quiet_workplace", "flexible_start", "fixed_tasks"}, conditions=("ordinary",))),
    ("d1-fit-lager2", "lagerarbejder", "9000", dict(hours=(10, 15), schedule=D,
     facts={"flexible_start"}, title="Lagermedarbejder til vareindgang")),
    ("d1-fit-pakkeri", "pakkeriassistent", "9430", dict(hours=(8, 12), schedule=D,
     facts={"quiet_workplace", "mentor"})),
    ("d1-fit-byg", "anlægsarbejder", "9400", dict(hours=(15, 20), schedule=D,
     facts={"heavy_lifting", "flexible_start"}, title="Medhjælper på byggeplads")),
    ("d1-break-night", "lagerarbejder", "9400", dict(hours=(8, 12), schedule=N,
     schedule_stated=N, facts={"high_tempo"}, title="Lagerarbejder - nathold")),
    ("d1-break-night2", "lagerarbejder", "9220", dict(hours=(10, 15), schedule={"night"},
     schedule_field=set(), facts=set())),
    ("d1-break-far", "lagerarbejder", "9800", dict(hours=(8, 12), schedule=D,
     facts={"quiet_workplace"})),
    ("d1-avoid-butik", "butiksassistent", "9400", dict(hours=(8, 12), schedule=D,
     facts={"customer_contact"})),
    # demo-02: Aalborg, fleksjob, 10-15 h, rengøring/køkken, extra breaks, no heavy lifting
    ("d2-fit-fleks", "rengøringsassistent", "9000", dict(hours=(10, 15), schedule=D,
     conditions=("fleksjob",), facts={"extra_breaks", "low_tempo", "fixed_tasks"})),
    ("d2-fit-kok", "køkkenassistent", "9200", dict(hours=(12, 12), schedule=D,
     conditions=("fleksjob",), facts={"extra_breaks"})),
    ("d2-fit-rengoer", "rengøringsassistent", "9210", dict(hours=(10, 15), schedule=D,
     conditions=("ordinary",), facts={"part_time_possible"})),
    ("d2-fit-tilskud", "køkkenassistent", "9220", dict(hours=(10, 15), schedule=D,
     conditions=("loentilskud",), facts={"mentor"})),
    ("d2-break-heavy", "rengøringsassistent", "9000", dict(hours=(10, 15), schedule={"evening"},
     facts={"heavy_lifting", "high_tempo"})),
    ("d2-break-hours", "køkkenassistent", "9000", dict(hours=(37, 37), schedule=D,
     facts={"standing"})),
    # demo-03: Hjørring, car 35 min, chauffør, no weekend
    ("d3-fit-vare", "chauffør - vareudbringning", "9800", dict(hours=(37, 37), schedule=D,
     facts={"driving_licence"})),
    ("d3-fit-vrå", "chauffør - vareudbringning", "9760", dict(hours=(25, 30), schedule=D,
     facts={"driving_licence", "fixed_tasks"})),
    ("d3-fit-lastbil", "bagagevognschauffør", "9850", dict(hours=(37, 37), schedule=D,
     facts={"driving_licence"}, title="Lastbilchauffør til fjernkørsel")),
    ("d3-break-weekend", "buschauffør", "9900", dict(hours=(30, 37), schedule={
     "weekend", "evening", "day"}, facts={"driving_licence", "customer_contact"})),
    ("d3-break-far", "taxichauffør", "9000", dict(hours=(25, 37), schedule=D,
     facts={"driving_licence"})),
    ("d3-soft-night", "bagagevognschauffør", "9870", dict(hours=(37, 37), schedule=N,
     facts={"driving_licence"}, title="Lastbilchauffør, natkørsel")),
    # demo-04: Brønderslev, public 40 min, 15-20 h, dyr, mentor
    ("d4-fit-dyr", "dyrepasserassistent", "9700", dict(hours=(15, 20), schedule=D,
     facts={"mentor", "fixed_tasks"})),
    ("d4-fit-pension", "medarbejder i hunde- og kattepension", "9700", dict(hours=(20, 20),
     schedule=D, facts={"mentor", "quiet_workplace"})),
    ("d4-fit-stald", "staldmedarbejder", "9700", dict(hours=(15, 20), schedule={"day", "weekend"},
     facts={"heavy_lifting", "mentor"})),
    ("d4-fit-kvæg", "kvægavler", "9760", dict(hours=(15, 25), schedule=D, facts={"heavy_lifting"},
     title="Medhjælper i kvægbrug")),
    ("d4-edge-hund", "hundetræner", "9310", dict(hours=(15, 20), schedule=D, facts=set())),
    ("d4-break-far", "dyrepasser", "9850", dict(hours=(15, 20), schedule=D, facts={"mentor"})),
    ("d4-soft-kunder", "dyrlægereceptionist", "9000", dict(hours=(15, 20), schedule=D,
     facts={"customer_contact"})),
    # demo-05: Aalborg SV, public 30 min, 5-10 h (must), kontor, no evening, fixed tasks
    ("d5-fit-kontor", "kontormedarbejder", "9200", dict(hours=(8, 10), schedule=D,
     facts={"fixed_tasks", "quiet_workplace"})),
    ("d5-fit-kontor2", "kontormedarbejder", "9000", dict(hours=(10, 10), schedule=D,
     facts={"fixed_tasks"})),
    ("d5-fit-data", "medhjælper til indtastning af data", "9210", dict(hours=(5, 10), schedule=D,
     facts={"fixed_tasks", "flexible_start"}, title="Kontorassistent, få timer")),
    ("d5-break-hours", "receptionist", "9000", dict(hours=(37, 37), schedule=D,
     facts={"customer_contact"})),
    ("d5-break-evening", "kontormedarbejder", "9210", dict(hours=(8, 12),
     schedule={"evening"}, facts={"fixed_tasks"})),
    ("d5-break-far", "sekretær", "9800", dict(hours=(10, 10), schedule=D, facts={"fixed_tasks"})),
]


def build(out: Path, seed: int = 42, data_dir: Path | None = None) -> dict[str, Any]:
    """Write every fixture file into ``out``; returns counts."""
    res = synth.load_resources(str(data_dir) if data_dir else None)
    gen = synth.Generator(res, seed, DEMO_POSTCODES, n_employers=N_EMPLOYERS, ref_date=REF_DATE,
                          idle_share=0.25)
    vacancies = [gen.vacancy(i) for i in range(N_RANDOM)]
    for n, (key, label, postcode, ov) in enumerate(TARGETED):
        occ = res.occupation(label)
        ov = dict(ov)
        # Demo ads say their schedule outright unless a case pins it otherwise.
        ov.setdefault("schedule_stated", ov.get("schedule", set()))
        emp = gen.add_employer(occ.isco[:2], postcode, key)
        vacancies.append(gen.vacancy(10_000 + n, occupation=occ, employer_index=emp,
                                     lang="da", posted_days_ago=n % 12, **ov))

    feeds = out / "feeds"
    details = feeds / "jobnet_details"
    for old in details.glob("*.json") if details.is_dir() else ():
        old.unlink()
    jn = synth.JobnetWriter(feeds / "demo_jobnet_page.json", details, details_every=5,
                            max_details=25)
    jl = synth.JsonLdWriter(feeds / "demo_jobposting.jsonl")
    cs = synth.CsvWriter(feeds / "demo_vacancies.csv")
    sources = {0: (jn, "jobnet"), 1: (jl, "demo-jobposting"), 2: (cs, "demo-csv")}
    with jn, jl, cs:
        for i, v in enumerate(vacancies):
            w, source = sources[i % 3]
            v.source = source
            if source == "jobnet":
                v.url = f"https://job.jobnet.example/CV/FindWork/Details/{v.id}"
            w.write(v, gen.employers[v.employer_index])
    synth.write_employers_csv(out / "employers.csv", gen.employers)

    cit_dir = out / "citizens"
    cit_dir.mkdir(parents=True, exist_ok=True)
    for c in CITIZENS:
        for old in cit_dir.glob(f"{c['id']}.*"):
            old.unlink()
    for c in CITIZENS[:-1]:
        (cit_dir / f"{c['id']}.json").write_text(
            json.dumps(c, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (cit_dir / f"{CITIZENS[-1]['id']}.toml").write_text(synth.citizen_to_toml(CITIZENS[-1]),
                                                        encoding="utf-8")

    # The consultants' other (pseudonymous) cases exist only in the contact log.
    others = synth.generate_citizens(9, seed, synth.place_picker(res, DEMO_POSTCODES), REF_DATE)
    for k, c in enumerate(others):
        c["consultant"] = synth.CONSULTANTS[k % 3]
        c["start_date"] = (REF_DATE - timedelta(days=75 - 6 * k)).isoformat()
    contacts = synth.generate_contacts(gen.employers, CITIZENS + others, seed, REF_DATE,
                                       weeks=10, late_citizen=LATE_CITIZEN)
    synth.write_rows(out / "contacts.csv", synth.CONTACT_CSV_COLUMNS, contacts)
    starts = [r for r in synth.generate_job_starts(contacts, seed, res, REF_DATE,
                                                             gen.employers)
              if not r["citizen_id"].startswith("demo-")]
    synth.write_rows(out / "job_starts.csv", synth.JOB_START_CSV_COLUMNS, starts)
    used = {v.employer_index for v in vacancies}
    return {"vacancies": len(vacancies), "employers": len(gen.employers),
            "employers_without_vacancy": len(gen.employers) - len(used),
            "jobnet_details": jn.details, "contacts": len(contacts), "job_starts": len(starts)}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "fixtures")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data-dir", type=Path, default=None)
    a = ap.parse_args(argv)
    print(json.dumps(build(a.out, a.seed, a.data_dir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
