"""Suggest uses job development: feedback hides/marks, contacts give facts, bonus and marks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from _suggest_data import PROFILE, TODAY, FakeOccupationMatcher, employers, vacancies

import ipsmatch.matcher as matcher_mod
from ipsmatch.config import Settings
from ipsmatch.domain import Employer
from ipsmatch.jobdev import Contact, Feedback
from ipsmatch.jobdev.attributes import Attribute, attributes_to_json
from ipsmatch.matcher import Matcher
from ipsmatch.store import Store
from ipsmatch.store.schema import vacancies as vacancies_table
from ipsmatch.store.serialize import vacancy_to_row

CID = PROFILE["id"]


def ids(sugs: list) -> list[str]:  # type: ignore[type-arg]
    return [s.vacancy.external_id for s in sugs]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.from_vacancies(vacancies(), employers(), FakeOccupationMatcher(), today=TODAY)


def fb(verdict: str, ext: str | None = None, days_ago: int = 1, **kw: object) -> Feedback:
    return Feedback(CID, verdict, TODAY - timedelta(days=days_ago), "AB",
                    vacancy=("test", ext) if ext else None, **kw)  # type: ignore[arg-type]


def test_not_interested_hides_the_vacancy_on_the_next_suggest(matcher: Matcher) -> None:
    first = matcher.suggest(PROFILE)
    top = ids(first.vacancies)[0]
    again = matcher.suggest(PROFILE, feedback=[fb("not_interested", top, reason="for langt")],
                            include_excluded=True)
    assert top not in ids(again.vacancies)
    assert len(again.vacancies) == len(first.vacancies) - 1  # nothing else lost
    hidden = next(x for x in again.excluded if x.vacancy.external_id == top)
    assert [r.code for r in hidden.reasons] == ["feedback.not_interested"]
    assert hidden.reasons[0].text_da.startswith("Ikke interesseret")
    assert "for langt" in hidden.reasons[0].text_da


def test_not_interested_employer_hides_its_ads_and_the_employer(matcher: Matcher) -> None:
    res = matcher.suggest(PROFILE, feedback=[fb("not_interested_employer", "v1",
                                                employer_cvr="11111111",
                                                employer_name="Lagerhuset A/S")])
    assert not any(s.vacancy.employer and s.vacancy.employer.cvr == "11111111"
                   for s in res.vacancies)
    assert "11111111" not in [e.employer.cvr for e in res.employers]
    assert "11111111" in [e.employer.cvr for e in matcher.suggest(PROFILE).employers]


def test_applied_keeps_the_vacancy_with_a_mark_first(matcher: Matcher) -> None:
    top = ids(matcher.suggest(PROFILE).vacancies)[0]
    res = matcher.suggest(PROFILE, feedback=[fb("applied", top, days_ago=3)])
    s = next(x for x in res.vacancies if x.vacancy.external_id == top)
    d = TODAY - timedelta(days=3)
    assert s.reasons[0].code == "feedback.applied"
    assert s.reasons[0].text_da == f"Ansøgt {d.day}/{d.month} (AB)"


def test_contact_open_to_flexible_start_satisfies_the_need() -> None:
    lager = employers()[0]
    told = replace(lager, attributes=attributes_to_json(
        {"open_to_flexible_start": Attribute(True, TODAY - timedelta(days=10), "kons-anna")}))
    # v3 (Lagerhuset) says nothing about start times: unknown until the contact says so
    vs = [replace(v, employer=told) if v.employer is lager else v for v in vacancies()]
    before = Matcher.from_vacancies(vacancies(), employers(), FakeOccupationMatcher(),
                                    today=TODAY).suggest(PROFILE)
    after = Matcher.from_vacancies(vs, employers(), FakeOccupationMatcher(),
                                   today=TODAY).suggest(PROFILE)
    v3_before = next(s for s in before.vacancies if s.vacancy.external_id == "v3")
    v3 = next(s for s in after.vacancies if s.vacancy.external_id == "v3")
    assert "need.flexible_start.unknown" in [r.code for r in v3_before.concerns]
    met = next(r for r in v3.reasons if r.code == "need.flexible_start.met")
    assert met.params["source"] == "contact"
    d = TODAY - timedelta(days=10)
    assert met.quote == f"kons-anna ved kontakt {d:%d.%m.%Y}: åben for fleksibel mødetid"
    assert "ved kontakt" in met.text_da
    assert v3.signals["needs"] > v3_before.signals["needs"]
    # what the manager said replaces the ad's own generic statement; other ads keep theirs
    v1 = next(s for s in after.vacancies if s.vacancy.external_id == "v1")
    assert next(r for r in v1.reasons if r.code == "need.flexible_start.met"
                ).params["source"] == "contact"
    v1_before = next(s for s in before.vacancies if s.vacancy.external_id == "v1")
    assert next(r for r in v1_before.reasons if r.code == "need.flexible_start.met"
                ).params["source"] == "text"


def test_job_development_bonus_and_recent_contact_mark() -> None:
    stille = Employer("Stille Værksted", cvr="66666666", postcode="9400",
                      industry="Lager og logistik", attributes=attributes_to_json({
                          "hired_through_ips_before": Attribute(True, TODAY - timedelta(40),
                                                                "CD")}))
    others = [e for e in employers() if e.cvr != "66666666"]
    plain = Matcher.from_vacancies(vacancies(), [*others, replace(stille, attributes={})],
                                   FakeOccupationMatcher(), today=TODAY)
    contact = Contact(TODAY - timedelta(days=2), "kons-bo", employer_cvr="66666666")
    m = Matcher.from_vacancies(vacancies(), [*others, stille], FakeOccupationMatcher(),
                               today=TODAY, contacts=[contact])
    by = {e.employer.cvr: e for e in m.suggest(PROFILE).employers}
    base = {e.employer.cvr: e for e in plain.suggest(PROFILE).employers}
    s = by["66666666"]
    assert s.score == pytest.approx(min(1.0, base["66666666"].score + 0.15), abs=1e-3)
    codes = [r.code for r in s.reasons]
    assert "contact.hired_through_ips_before" in codes
    # "contacted recently – agree before calling again" is a warning, not a plus (#13)
    assert "contact.recent" not in codes and s.concerns[0].code == "contact.recent"
    d = TODAY - timedelta(days=2)
    assert s.concerns[0].text_da.startswith(f"Kontaktet {d:%d.%m.%Y} af kons-bo")
    assert "contact.recent" not in [r.code for r in by["11111111"].concerns]


def test_open_reads_contacts_and_feedback_from_the_store(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'ipsmatch.db'}"
    now = datetime.now(UTC)
    with Store.open(url, create=True).init() as store:
        with store.engine.begin() as conn:
            for v in vacancies():
                eid = store.upsert_employer(v.employer, conn=conn) if v.employer else None
                conn.execute(vacancies_table.insert(), {
                    **vacancy_to_row(replace(v, deadline=None)), "employer_id": eid,
                    "first_seen": now, "last_seen": now})
        store.save_citizen(CID, PROFILE, "AB")
        store.add_feedback(Feedback(CID, "not_interested", now.date(), "AB",
                                    vacancy=("test", "v1")))
        store.add_contact(Contact(now.date(), "kons-bo", employer_cvr="22222222",
                                  learned=("open_to_part_time",)))
    monkeypatch.setattr(matcher_mod, "load_text_models",
                        lambda settings: (FakeOccupationMatcher(), None))
    m = Matcher.open(url, settings=Settings.load(db=url, semantic="off"))
    res = m.suggest(PROFILE)
    assert "v1" not in ids(res.vacancies) and "v3" in ids(res.vacancies)
    bygma = next(e for e in res.employers if e.employer.cvr == "22222222")
    assert bygma.concerns[0].code == "contact.recent"
    assert "contact.open_to_part_time" in [r.code for r in bygma.reasons]
    # a profile that is not stored has no feedback
    assert "v1" in ids(m.suggest({**PROFILE, "id": "other"}).vacancies)
