"""The synthetic data generator (benchmarks/synth.py) and the bundled fixtures it builds."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import tomllib
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, import_from

from ipsmatch.geo import is_known_postcode

synth = import_from(REPO / "benchmarks", "synth")

try:
    RES = synth.load_resources()
except FileNotFoundError as exc:  # pragma: no cover - only without shared/data
    pytest.skip(f"shared data missing: {exc}", allow_module_level=True)

CPR = re.compile(r"\b[0-3]\d[01]\d{3}-?\d{4}\b")
POSTNORD = {r["POSTNR"].strip().zfill(4) for r in csv.DictReader(
    (RES.data_dir / "geo_dk" / "postcode_municipality_region.csv").open(encoding="utf-8"),
    delimiter=";")}


def _load_make_fixtures():
    spec = importlib.util.spec_from_file_location("make_fixtures",
                                                  REPO / "scripts" / "make_fixtures.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def sample() -> tuple[list[synth.SynthEmployer], list[synth.SynthVacancy]]:
    employers, vacancies = synth.generate(2000, seed=7, region="dk", resources=RES)
    return employers, list(vacancies)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    synth.write_all(out, 300, seed=3, region="nordjylland", citizens=8, details=10,
                    resources=RES)
    return out


#: fixture folders written by hand, not by scripts/make_fixtures.py: the education catalogue
#: (real programme names) and the IPS demo citizen with a career profile (issue #17)
HANDWRITTEN = ("education/", "ips/")


def _files(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


# --- determinism -------------------------------------------------------------------------------

def test_same_seed_gives_identical_bytes(tmp_path: Path, written: Path) -> None:
    synth.write_all(tmp_path, 300, seed=3, region="nordjylland", citizens=8, details=10,
                    resources=RES)
    assert _files(tmp_path) == _files(written)


def test_other_seed_differs(tmp_path: Path, written: Path) -> None:
    synth.write_all(tmp_path, 300, seed=4, region="nordjylland", citizens=8, details=10,
                    resources=RES)
    assert _files(tmp_path)["vacancies.csv"] != _files(written)["vacancies.csv"]


def test_vacancy_depends_only_on_seed_and_index() -> None:
    gen = synth.Generator(RES, 5, "dk", n_employers=50)
    assert gen.vacancy(17) == gen.vacancy(17)
    assert gen.vacancy(17).id != gen.vacancy(18).id


def test_committed_fixtures_are_reproducible(tmp_path: Path) -> None:
    """fixtures/ is exactly what scripts/make_fixtures.py builds (else: rerun it)."""
    _load_make_fixtures().build(tmp_path, seed=42)
    built = _files(tmp_path)
    committed = {k: v for k, v in _files(FIXTURES).items() if k != "README.md"
                 and not k.startswith(HANDWRITTEN)}
    assert built.keys() == committed.keys()
    for name in built:
        assert built[name] == committed[name], f"{name} is stale: run scripts/make_fixtures.py"


# --- proportions -------------------------------------------------------------------------------

def test_hours_language_and_conditions_proportions(sample) -> None:
    _, vs = sample
    n = len(vs)
    share = lambda pred: sum(1 for v in vs if pred(v)) / n  # noqa: E731
    assert 0.55 <= share(lambda v: v.full_time is True) <= 0.75
    assert 0.22 <= share(lambda v: v.full_time is False) <= 0.38
    assert 0.01 <= share(lambda v: v.hours_min is None) <= 0.10
    pt = [v for v in vs if v.full_time is False]
    assert sum(1 for v in pt if (v.hours_min or 0) >= 15 and (v.hours_max or 99) <= 30) \
        / len(pt) > 0.4
    assert 0.06 <= share(lambda v: v.lang == "en") <= 0.14
    assert 0.015 <= share(lambda v: "fleksjob" in v.work_conditions) <= 0.05
    assert 0.008 <= share(lambda v: "skaanejob" in v.work_conditions) <= 0.04
    assert 0.008 <= share(lambda v: {"loentilskud", "virksomhedspraktik"}
                          & set(v.work_conditions)) <= 0.03
    assert 0.15 <= share(lambda v: not v.work_conditions) <= 0.4


def test_schedule_proportions_and_unknown(sample) -> None:
    _, vs = sample
    n = len(vs)
    stated = Counter(k for v in vs for k in v.schedule_field | v.schedule_text)
    assert 0.03 <= stated["night"] / n <= 0.10
    assert 0.06 <= stated["evening"] / n <= 0.15
    assert 0.08 <= stated["weekend"] / n <= 0.17
    assert 0.04 <= stated["shifts"] / n <= 0.12
    nothing = sum(1 for v in vs if not v.schedule_field | v.schedule_text) / n
    day_only = sum(1 for v in vs if v.schedule_field | v.schedule_text == {"day"}) / n
    assert nothing > 0.2 and day_only > 0.2
    # some ads state a flag only in the text, never in a structured field
    assert any(v.schedule_text - v.schedule_field for v in vs)


def test_entry_level_occupations_dominate(sample) -> None:
    _, vs = sample
    majors = Counter(v.occupation.isco[0] for v in vs)
    assert sum(majors[m] for m in "45789") / len(vs) > 0.6
    labels = Counter(v.occupation.label_da for v in vs)
    for common in ("rengøringsassistent", "kontormedarbejder", "køkkenassistent"):
        assert labels[common] >= 5
    assert all(v.occupation.uri in RES.by_uri for v in vs)


def test_dates(sample) -> None:
    _, vs = sample
    ref = synth.REF_DATE
    assert all(ref - timedelta(days=30) <= v.posted <= ref for v in vs)
    dl = [v for v in vs if v.deadline]
    assert all(7 <= (v.deadline - v.posted).days <= 42 for v in dl
               if v.deadline >= ref)
    past = sum(1 for v in dl if v.deadline < ref) / len(vs)
    assert 0 < past < 0.08
    assert any(v.deadline is None for v in vs)


def test_fields_agree_with_text(sample) -> None:
    _, vs = sample
    phrases = {k: synth.SCHED_DA[k] + synth.SCHED_EN[k] for k in synth.SCHEDULE}
    for v in vs:
        text = v.description_text
        assert v.schedule_field | v.schedule_text <= v.schedule_true
        for k in synth.SCHEDULE:
            said = any(p in text for p in phrases[k])
            assert said == (k in v.schedule_text), (v.id, k)
        if v.work_hours and v.lang == "da" and not v.full_time:
            assert v.work_hours in text
        said_in = synth.COND_DA if v.lang == "da" else synth.COND_EN
        for c in v.work_conditions:
            if c != "ordinary":
                assert said_in[c] in text, (v.id, c)


# --- realism of places and employers -----------------------------------------------------------

def test_every_postcode_is_real(sample) -> None:
    employers, vs = sample
    for x in [*employers, *vs]:
        assert x.postcode in POSTNORD and is_known_postcode(x.postcode), x.postcode
        minlon, minlat, maxlon, maxlat = RES.place(x.postcode).bbox
        assert minlat <= x.lat <= maxlat and minlon <= x.lon <= maxlon


def test_region_filter(written: Path) -> None:
    with (written / "vacancies.csv").open(encoding="utf-8") as fh:
        pcs = {r["postcode"] for r in csv.DictReader(fh)}
    assert pcs and all(RES.place(pc).region == "Region Nordjylland" for pc in pcs)


def test_cvrs_unique_valid_and_synthetic(sample) -> None:
    employers, _ = sample
    cvrs = [e.cvr for e in employers]
    assert len(set(cvrs)) == len(cvrs)
    assert all(re.fullmatch(r"9\d{7}", c) and synth.is_valid_cvr(c) for c in cvrs)
    big = synth.cvr_numbers(50_000, seed=1)
    assert len(set(big)) == len(big)
    assert len({e.name for e in employers}) == len(employers)


def test_some_employers_have_no_vacancy(sample) -> None:
    employers, vs = sample
    used = {v.employer_index for v in vs}
    idle = len(employers) - len(used)
    assert 0.1 * len(employers) < idle < 0.5 * len(employers)


# --- formats -----------------------------------------------------------------------------------

def test_jsonld_format(written: Path) -> None:
    lines = (written / "vacancies.jsonld.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 300
    for line in lines:
        r = json.loads(line)
        assert r["@context"] == "https://schema.org" and r["@type"] == "JobPosting"
        assert r["identifier"]["@type"] == "PropertyValue" and r["identifier"]["value"]
        assert r["description"].startswith("<p>")
        assert r.get("employmentType", "FULL_TIME") in ("FULL_TIME", "PART_TIME", "TEMPORARY")
        org = r["hiringOrganization"]
        assert org["@type"] == "Organization" and len(org["identifier"]) == 8
        loc = r["jobLocation"]
        assert loc["@type"] == "Place" and loc["address"]["postalCode"]
        assert {"latitude", "longitude"} <= loc["geo"].keys()
        date.fromisoformat(r["datePosted"])
        assert r["occupationalCategory"] and r["url"]


def test_jobnet_format(written: Path) -> None:
    raw = (written / "jobnet_page.json").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    page = json.loads(raw.decode("utf-8-sig"))
    posts = page["JobPositionPostings"]
    assert page["TotalResultCount"] == len(posts) == 300
    keys = {"ID", "Title", "Presentation", "HiringOrgName", "HiringOrgCVR", "WorkPlaceAddress",
            "WorkPlacePostalCode", "WorkPlaceCity", "PostingCreated", "LastDateApplication",
            "WorkHours", "Occupation", "Location", "Url"}
    for p in posts:
        assert keys <= p.keys()
        assert isinstance(p["ID"], str) and isinstance(p["HiringOrgCVR"], int)
        assert p["WorkHours"] in ("Fuldtid", "Deltid", "")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00", p["LastDateApplication"])
        assert {"Latitude", "Longitude"} <= p["Location"].keys()
    details = sorted((written / "jobnet_details").glob("*.json"))
    assert 1 <= len(details) <= 10
    sample = json.loads(
        (RES.data_dir / "jobnet_sample" / "JobPage01_JobPostingExtended01.json")
        .read_text(encoding="utf-8-sig"))
    for f in details:
        d = json.loads(f.read_text(encoding="utf-8-sig"))
        for k in ("WorkConditions", "WorkSchedule", "EmploymentTypes"):
            assert d[k] == sample[k]
        j = d["JobPositionPosting"]
        assert {"Id", "HiringOrg", "JobPositionInformation", "ApplicationDetails"} <= j.keys()
        assert {"Name", "OrganizationNumber", "Address"} <= j["HiringOrg"].keys()
        info = j["JobPositionInformation"]
        assert {"PositionTitle", "Purpose", "WorkLocation", "EmploymentType",
                "WeeklyWorkHours"} <= info.keys()
        assert {"WorkHourMin", "WorkHourMax", "DailyWorkTimeDay", "DailyWorkTimeEvening",
                "DailyWorkTimeNight", "DailyWorkTimeWeekend",
                "ApplicationDeadlineDate"} <= j["ApplicationDetails"].keys()


def _csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        r = csv.DictReader(fh)
        rows = list(r)
        return list(r.fieldnames or []), rows


def test_csv_formats(written: Path) -> None:
    cols, rows = _csv(written / "vacancies.csv")
    assert cols == list(synth.VACANCY_CSV_COLUMNS) and len(rows) == 300
    for r in rows:
        assert set(filter(None, r["schedule"].split(";"))) <= set(synth.SCHEDULE)
        assert set(filter(None, r["work_conditions"].split(";"))) <= set(synth.CONDITIONS)
        date.fromisoformat(r["posted"])
        float(r["lat"]), float(r["lon"])
    cols, emps = _csv(written / "employers.csv")
    assert cols == list(synth.EMPLOYER_CSV_COLUMNS) and len(emps) == 60
    cols, contacts = _csv(written / "contacts.csv")
    assert cols == list(synth.CONTACT_CSV_COLUMNS) and contacts
    cols, _ = _csv(written / "job_starts.csv")
    assert cols == list(synth.JOB_START_CSV_COLUMNS)


def test_no_cpr_like_numbers_anywhere(written: Path) -> None:
    for name, data in _files(written).items():
        assert not CPR.search(data.decode("utf-8-sig")), name
    for name, data in _files(FIXTURES).items():
        assert not CPR.search(data.decode("utf-8-sig")), name


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert synth.main(["--size", "40", "--out", str(tmp_path), "--formats", "csv",
                       "--region", "nordjylland"]) == 0
    assert json.loads(capsys.readouterr().out)["vacancies"] == 40
    assert (tmp_path / "vacancies.csv").exists()
    assert not (tmp_path / "jobnet_page.json").exists()
    assert synth.main(["--size", "5", "--out", str(tmp_path), "--region", "atlantis"]) == 2
    assert "unknown region" in capsys.readouterr().err


# --- citizens, contacts, fixtures --------------------------------------------------------------

def _citizens() -> list[dict]:
    out = []
    for f in sorted((FIXTURES / "citizens").iterdir()):
        out.append(tomllib.loads(f.read_text(encoding="utf-8")) if f.suffix == ".toml"
                   else json.loads(f.read_text(encoding="utf-8")))
    return out


def test_demo_citizens_are_valid_profiles() -> None:
    cits = _citizens()
    assert [c["id"] for c in cits] == [f"demo-0{i}" for i in range(1, 6)]
    assert any((FIXTURES / "citizens").glob("*.toml"))
    for c in cits:
        assert is_known_postcode(c["home_postcode"])
        assert c["travel"]["mode"] in ("walk", "bike", "public", "car")
        for n in c["needs"]:
            assert (n if isinstance(n, str) else n["code"]) in synth.NEEDS
        assert not {"cpr", "diagnosis", "name"} & set(c)
    assert sum(c["fleksjob_approved"] for c in cits) == 1


def test_generated_citizens_round_trip_toml() -> None:
    for c in synth.generate_citizens(10, 1, synth.place_picker(RES, "dk")):
        assert tomllib.loads(synth.citizen_to_toml(c)) == c


def test_fixture_sizes_and_counts() -> None:
    total = sum(p.stat().st_size for p in FIXTURES.rglob("*") if p.is_file())
    assert total < 3_000_000
    _, emps = _csv(FIXTURES / "employers.csv")
    assert 130 <= len(emps) <= 170
    n = 0
    page = json.loads((FIXTURES / "feeds" / "demo_jobnet_page.json").read_text("utf-8-sig"))
    n += len(page["JobPositionPostings"])
    n += len((FIXTURES / "feeds" / "demo_jobposting.jsonl").read_text("utf-8").splitlines())
    n += len(_csv(FIXTURES / "feeds" / "demo_vacancies.csv")[1])
    assert 280 <= n <= 330
    assert any((FIXTURES / "feeds" / "jobnet_details").glob("*.json"))


def test_contact_log_follows_ips_rhythm() -> None:
    _, rows = _csv(FIXTURES / "contacts.csv")
    assert {r["consultant"] for r in rows} == set(synth.CONSULTANTS)
    assert {r["kind"] for r in rows} <= {"face-to-face", "phone", "email", "other"}
    assert {r["purpose"] for r in rows} <= {"learn_business", "present_candidate", "follow_up"}
    assert {x for r in rows for x in r["learned"].split(";") if x} <= set(synth.LEARNED)
    f2f = Counter((r["consultant"], date.fromisoformat(r["date"]).isocalendar()[:2])
                  for r in rows if r["kind"] == "face-to-face")
    assert sum(f2f.values()) / len(f2f) >= 3
    dates = [date.fromisoformat(r["date"]) for r in rows]
    assert (max(dates) - min(dates)).days >= 60
    starts = {c["id"]: date.fromisoformat(c["start_date"]) for c in _citizens()}
    first: dict[str, date] = {}
    for r, d in zip(rows, dates, strict=True):
        if r["citizen_id"] in starts:
            first.setdefault(r["citizen_id"], d)
    late = [cid for cid, d in first.items() if (d - starts[cid]).days > 30]
    assert late == ["demo-04"]
    _, jobs = _csv(FIXTURES / "job_starts.csv")
    assert jobs and {j["competitive"] for j in jobs} <= {"true", "false"}
