"""The workspace pages of issue #17, in-process over the real app and a real SQLite demo
database (as test_web_security): the career profile and disclosure forms, the
jobudviklingsark, support after the start, the citizen's report and the funder export; CSRF,
roles, errors at their fields with nothing typed lost, consent honoured on the sheet, the
access log, and the commute band said once (#13)."""

from __future__ import annotations

import contextlib
import csv
import html
import io
import re
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from _web import DEMO_TODAY, add_user, csrf_of, login, make_demo
from fastapi.testclient import TestClient

CPR = "010190-1234"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from ipsmatch.config import Settings
    from ipsmatch.web.app import create_app

    tmp = tmp_path_factory.mktemp("webips")
    demo = make_demo(tmp)
    db = tmp / "web.db"
    with sqlite3.connect(demo) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    url = f"sqlite:///{db}"
    add_user(url, "kons-anna", "consultant")
    add_user(url, "leder-birgit", "leader")
    app = create_app(Settings.load(db=url, today=DEMO_TODAY))
    with TestClient(app):
        yield app


@contextlib.contextmanager
def _client(app: Any, name: str) -> Iterator[Any]:
    c = TestClient(app, follow_redirects=False)
    try:
        assert login(c, name).status_code == 303
        yield c
    finally:
        c.close()


@pytest.fixture
def anna(app: Any) -> Iterator[Any]:
    with _client(app, "kons-anna") as c:
        yield c


@pytest.fixture
def leader(app: Any) -> Iterator[Any]:
    with _client(app, "leder-birgit") as c:
        yield c


def _store(app: Any) -> Any:
    return app.state.web.store


def _profile(app: Any, cid: str) -> dict[str, Any]:
    return dict(_store(app).get_citizen(cid).profile)


def _field_errors(page: str) -> dict[str, str]:
    """{form field: message} of the errors shown under fields."""
    return {m.group(1): html.unescape(m.group(2)) for m in
            re.finditer(r'<p class="field-error" id="err-([^"]+)"[^>]*>([^<]*)</p>', page)}


def _value(page: str, name: str) -> str | None:
    """The value an input or textarea shows for ``name``."""
    m = re.search(rf'<input[^>]*name="{re.escape(name)}" value="([^"]*)"', page)
    if m:
        return html.unescape(m.group(1))
    m = re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>([^<]*)</textarea>', page)
    return html.unescape(m.group(1)) if m else None


def _career_form(page: str, **changes: str) -> dict[str, str]:
    """The career form as the browser would send it (text inputs, textareas, hidden
    fields, checked boxes), with ``changes``."""
    form = page.split('action="/citizens/', 1)[1].split("</form>", 1)[0]
    data: dict[str, Any] = {}
    for m in re.finditer(r'<input([^>]*)>', form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', m.group(1)))
        if "name" not in attrs:
            continue
        if attrs.get("type") in ("checkbox", "radio"):
            if "checked" in m.group(1).split():
                data.setdefault(attrs["name"], []).append(attrs["value"])
            continue
        data[attrs["name"]] = html.unescape(attrs.get("value", ""))
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', form):
        data[m.group(1)] = html.unescape(m.group(2))
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        sel = re.search(r'<option value="([^"]*)" selected', m.group(2))
        data[m.group(1)] = sel.group(1) if sel else ""
    data.update(changes)
    return data


# --- the career profile ---------------------------------------------------------------------

def test_career_page_shows_the_stored_profile(anna: Any, app: Any) -> None:
    page = anna.get("/citizens/demo-06/career").text
    assert _value(page, "wh-0-title") == "Opvasker"
    assert _value(page, "wh-1-employer") == "Kantine i Aalborg Øst"
    assert _value(page, "strengths") == "mødestabil\ngod til at følge en opskrift"
    assert _value(page, "hours_now") == "8" and _value(page, "hours_goal") == "15"
    assert re.search(r'value="hygiene_certificate" checked', page)
    assert re.search(r'name="consent" value="yes" id="consent-yes" checked', page)
    # the citizen page links to the new pages and says the consent state
    cit = anna.get("/citizens/demo-06").text
    for link in ("career", "sheet", "followup", "report"):
        assert f'href="/citizens/demo-06/{link}"' in cit
    assert "arbejdsgivere må kontaktes" in cit
    assert any(a["action"] == "career" and a["consultant"] == "kons-anna"
               for a in _store(app).list_access(citizen_id="demo-06"))


def test_career_saved_through_the_profile_schema(anna: Any, app: Any) -> None:
    page = anna.get("/citizens/demo-04/career").text
    data = _career_form(page, **{"wants": "Arbejde med hænderne",
                                 "wh-0-title": "Flyttemand", "wh-0-from": "2018",
                                 "wh-0-to": "2020", "wh-0-went_well": "Stærk og præcis",
                                 "edu-0-name": "Truckcertifikat-kursus", "edu-0-level": "course",
                                 "edu-0-completed": "1", "strengths": "stabil\nglad for rutiner",
                                 "hours_now": "10", "hours_goal": "20",
                                 "supports": "fast kontaktperson"})
    data["certificates"] = ["forklift_certificate", "driving_licence_b"]
    r = anna.post("/citizens/demo-04/career", data=data)
    assert r.status_code == 303 and r.headers["location"].endswith("?saved=1")
    p = _profile(app, "demo-04")
    assert p["version"] == 3
    assert p["career"]["work_history"] == [{"title": "Flyttemand", "from": 2018, "to": 2020,
                                            "went_well": "Stærk og præcis"}]
    assert p["career"]["education"][0] == {"name": "Truckcertifikat-kursus", "level": "course",
                                           "completed": True}
    assert p["career"]["hours"] == {"now": 10, "goal": 20}
    assert p["career"]["strengths"] == ["stabil", "glad for rutiner"]
    assert p["certificates"] == ["forklift_certificate", "driving_licence_b"]
    assert p["wishes"] and p["home_postcode"]  # the rest of the profile is kept
    again = anna.get("/citizens/demo-04/career?saved=1").text
    assert "Karriereprofilen er gemt." in again and _value(again, "wh-0-title") == "Flyttemand"


def test_bad_career_input_is_shown_at_its_field_and_nothing_typed_is_lost(anna: Any,
                                                                          app: Any) -> None:
    before = _profile(app, "demo-06")
    page = anna.get("/citizens/demo-06/career").text
    data = _career_form(page, **{"wh-1-to": "20x", "wants": "Et nyt ønske, skrevet lige nu",
                                 "wh-2-title": "Bager", "wh-2-from": "2015"})
    r = anna.post("/citizens/demo-06/career", data=data)
    assert r.status_code == 400
    errors = _field_errors(r.text)
    assert errors["wh-1-to"] == 'skal være et årstal som 2019, ikke "20x"', errors
    assert 'aria-invalid="true" aria-describedby="err-wh-1-to"' in r.text
    assert _value(r.text, "wh-1-to") == "20x"
    assert _value(r.text, "wants") == "Et nyt ønske, skrevet lige nu"
    assert _value(r.text, "wh-2-title") == "Bager"  # the new row is still there
    assert _profile(app, "demo-06") == before  # nothing saved

    # an error in a row after a blank one names the row it was typed in
    data = _career_form(page, **{"wh-3-title": "Pizzabager", "wh-3-from": "2024",
                                 "wh-3-to": "2023"})
    errors = _field_errors(anna.post("/citizens/demo-06/career", data=data).text)
    assert errors["wh-3"] == "slutter (2023) før det begynder (2024)"


def test_every_career_field_with_an_error_is_shown_at_once(anna: Any, app: Any) -> None:
    before = _profile(app, "demo-06")
    page = anna.get("/citizens/demo-06/career").text
    # row 0's years are the wrong way round (an error of the whole row), row 1's end year is
    # no year, the goal is out of range and an education year is no year: all four at once
    data = _career_form(page, **{"wh-0-from": "2024", "wh-0-to": "2023", "wh-1-to": "20x",
                                 "hours_goal": "70,5", "edu-0-name": "Køkkenassistent",
                                 "edu-0-year": "sidste år", "wants": "Noget med mad"})
    r = anna.post("/citizens/demo-06/career", data=data)
    assert r.status_code == 400
    errors = _field_errors(r.text)
    assert errors == {
        "wh-0": "slutter (2023) før det begynder (2024)",
        "wh-1-to": 'skal være et årstal som 2019, ikke "20x"',
        "hours_goal": "skal være timer om ugen mellem 0 og 60, ikke 70,5",
        "edu-0-year": 'skal være et årstal som 2019, ikke "sidste år"',
    }
    for key in ("wh-1-to", "hours_goal", "edu-0-year"):  # wh-0 is the row's, above it
        assert f'aria-describedby="err-{key}"' in r.text
    assert _value(r.text, "wh-1-to") == "20x" and _value(r.text, "hours_goal") == "70,5"
    assert _value(r.text, "edu-0-year") == "sidste år"
    assert _value(r.text, "wants") == "Noget med mad"
    assert _profile(app, "demo-06") == before  # nothing saved
    # one error left: only that one; none left: saved
    data.update({"wh-0-from": "2023", "wh-0-to": "2024", "wh-1-to": "", "hours_goal": "",
                 "edu-0-year": ""})
    data["edu-0-year"] = "2030x"
    assert _field_errors(anna.post("/citizens/demo-06/career", data=data).text) == {
        "edu-0-year": 'skal være et årstal som 2019, ikke "2030x"'}
    assert _profile(app, "demo-06") == before


def test_career_errors_in_english_are_the_clis(anna: Any, app: Any) -> None:
    page = anna.get("/citizens/demo-06/career").text
    data = _career_form(page, **{"wh-1-to": "20x", "hours_goal": "70,5"})
    anna.post("/settings/lang", data={"csrf": data["csrf"], "lang": "en", "back": "/"})
    try:
        errors = _field_errors(anna.post("/citizens/demo-06/career", data=data).text)
        assert errors["wh-1-to"] == "must be a year such as 2019, not '20x'"
        data = _career_form(page, hours_goal="70,5")
        errors = _field_errors(anna.post("/citizens/demo-06/career", data=data).text)
        assert errors["hours_goal"] == "must be hours per week between 0 and 60, not 70.5"
    finally:
        anna.post("/settings/lang", data={"csrf": data["csrf"], "lang": "da", "back": "/"})
    errors = _field_errors(anna.post("/citizens/demo-06/career", data=data).text)
    assert errors["hours_goal"] == "skal være timer om ugen mellem 0 og 60, ikke 70,5"


def test_health_words_and_cpr_numbers_are_refused_at_their_field(anna: Any, app: Any) -> None:
    before = _profile(app, "demo-06")
    page = anna.get("/citizens/demo-06/career").text
    data = _career_form(page, strengths="mødestabil\nhar skizofreni")
    r = anna.post("/citizens/demo-06/career", data=data)
    assert r.status_code == 400
    assert _field_errors(r.text)["strengths"].startswith(
        "teksten ligner helbredsoplysninger (skizofreni); ")
    assert _value(r.text, "strengths") == "mødestabil\nhar skizofreni"  # to rephrase it

    data = _career_form(page, **{"wh-0-went_well": f"cpr {CPR}", "wants": "Lave mad"})
    r = anna.post("/citizens/demo-06/career", data=data)
    assert r.status_code == 400
    assert "ligner et CPR-nummer" in _field_errors(r.text)["wh-0-went_well"]
    assert CPR not in r.text  # a refused value is never shown again
    assert _value(r.text, "wh-0-went_well") == ""
    assert _value(r.text, "wants") == "Lave mad"  # the rest of the form is kept
    assert _profile(app, "demo-06") == before


def test_a_form_without_the_csrf_token_is_refused(anna: Any, app: Any) -> None:
    before = _profile(app, "demo-06")
    page = anna.get("/citizens/demo-06/career").text
    data = _career_form(page, wants="Noget andet")
    data.pop("csrf")
    assert anna.post("/citizens/demo-06/career", data=data).status_code == 403
    assert anna.post("/citizens/demo-06/career",
                     data={**data, "csrf": "forged"}).status_code == 403
    assert anna.post("/citizens/demo-06/disclosure",
                     data={"consent": "no", "consent_date": "2026-11-10"}).status_code == 403
    assert anna.post("/citizens/demo-06/jobs", data={"title": "x",
                                                     "employer_name": "y"}).status_code == 403
    assert anna.post("/citizens/demo-06/followalong", data={}).status_code == 403
    assert anna.post("/citizens/demo-06/report", data={"comment": "x"}).status_code == 403
    assert _profile(app, "demo-06") == before


# --- disclosure and the jobudviklingsark ----------------------------------------------------

def test_the_sheet_shows_only_what_was_agreed_and_ticked(anna: Any, app: Any) -> None:
    page = anna.get("/citizens/demo-06/sheet").text
    sheet = page.split('id="sheet"', 1)[1].split("</article>", 1)[0]
    free = page.split('id="free-texts"', 1)[1]
    # nothing typed goes on the sheet until the consultant ticks it
    assert "mødestabil" not in sheet and "mødestabil" in free
    assert "Kan arbejde 8 timer om ugen nu; målet er 15 timer" in sheet
    assert "Fleksibel mødetid" in sheet  # the one need the citizen chose to share
    assert "nattevagt" not in sheet.lower()  # a need not shared
    assert "Aftenvagterne blev for lange" not in page  # what went badly: never
    assert 'class="printable"' in page and "data-print" in page
    ticked = anna.get("/citizens/demo-06/sheet",
                      params=[("include", "career.strengths[0]"),
                              ("include", "career.supports[1]")]).text
    sheet = ticked.split('id="sheet"', 1)[1].split("</article>", 1)[0]
    assert "mødestabil" in sheet and "opgaverne skrevet ned" in sheet
    assert "god til at følge en opskrift" not in sheet
    assert re.search(r'value="career.strengths\[0\]" checked', ticked)
    # the count of texts left off reads as Danish (the two ticked ones are no longer counted)
    counts = [re.search(r'id="pending-count">(\d+) (\w+) er ikke med<', p) for p in (page, ticked)]
    assert counts[0] and counts[1], "no pending count on the sheet page"
    n = int(counts[0].group(1))
    assert n > 3 and counts[0].group(2) == "fritekster"
    assert (int(counts[1].group(1)), counts[1].group(2)) == (n - 2, "fritekster")
    assert any(a["action"] == "sheet" for a in _store(app).list_access(citizen_id="demo-06"))


def test_disclosure_saved_by_field_and_consent_no_honoured_in_the_sheet(anna: Any,
                                                                        app: Any) -> None:
    page = anna.get("/citizens/demo-05/career").text
    tok = csrf_of(page)
    r = anna.post("/citizens/demo-05/disclosure",
                  data={"csrf": tok, "consent": "no", "share": "ips",
                        "disclosure_note": "Vil selv fortælle det"})
    assert r.status_code == 400
    errors = _field_errors(r.text)
    assert errors["consent_date"] == ("borgerens svar om samtykke skal have den dato, det blev "
                                      "givet (skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-11-02)")
    assert re.search(r'name="consent" value="no" id="consent-no" checked', r.text)
    assert _value(r.text, "disclosure_note") == "Vil selv fortælle det"
    r = anna.post("/citizens/demo-05/disclosure",
                  data={"csrf": tok, "consent": "no", "share": "ips",
                        "consent_date": "2026-11-10"})
    assert r.status_code == 303
    assert _profile(app, "demo-05")["disclosure"] == {"consent": "no", "share": "ips",
                                                      "date": "2026-11-10"}
    sheet = anna.get("/citizens/demo-05/sheet",
                     params=[("include", "wishes[0]")]).text
    assert 'id="no-sheet"' in sheet and "sagt nej" in sheet
    assert 'id="sheet"' not in sheet
    for wish in _profile(app, "demo-05")["wishes"]:
        assert html.escape(wish) not in sheet  # nothing of the profile is shown
    # an accommodation must be one of the citizen's own needs
    r = anna.post("/citizens/demo-05/disclosure",
                  data={"csrf": tok, "consent": "yes", "consent_date": "2026-11-12",
                        "share": "accommodations", "accommodations": "no_mondays"})
    assert r.status_code == 400 and "accommodations" in _field_errors(r.text)


def test_not_asked_yet_gives_no_sheet(anna: Any) -> None:
    page = anna.get("/citizens/demo-01/sheet").text
    assert 'id="no-sheet"' in page and "ikke spurgt" in page


# --- support after the start ----------------------------------------------------------------

def test_follow_along_job_start_hours_plan_contact_end(anna: Any, app: Any) -> None:
    page = anna.get("/citizens/demo-02/followup").text
    assert "Ingen jobstart endnu." in page
    tok = csrf_of(page)
    start = {"csrf": tok, "title": "Lagerhjælper", "employer_name": "Brønderslev Lager ApS",
             "start_date": "2026-11-02", "hours_per_week": "mange", "wage_form": "fleksjob",
             "contact_person": "lagerchefen"}
    r = anna.post("/citizens/demo-02/jobs", data=start)
    assert r.status_code == 400
    assert _field_errors(r.text)["hours_per_week"] == '"mange" er ikke et tal'
    assert _value(r.text, "title") == "Lagerhjælper"
    assert _value(r.text, "contact_person") == "lagerchefen"
    assert re.search(r'<option value="fleksjob" selected', r.text)
    r = anna.post("/citizens/demo-02/jobs", data={**start, "hours_per_week": "8"})
    assert r.status_code == 303
    job = _store(app).list_job_starts(citizen="demo-02")[-1]
    assert (job.wage, job.contact_person, job.hours_per_week) == ("fleksjob", "lagerchefen", 8)

    base = f"/citizens/demo-02/jobs/{job.id}"
    r = anna.post(f"{base}/hours", data={"csrf": tok, "hours_per_week": "12",
                                         "hours_from": "2030-01-01"})
    assert r.status_code == 400
    assert _field_errors(r.text)["hours_from"] == ("2030-01-01 ligger i fremtiden (registrér "
                                                   "en ændring, når den er sket)")
    r = anna.post(f"{base}/hours", data={"csrf": tok, "hours_per_week": ""})
    assert _field_errors(r.text)["hours_per_week"] == "hvor mange timer om ugen nu?"
    assert "how many hours" not in r.text
    assert anna.post(f"{base}/hours", data={"csrf": tok, "hours_per_week": "12",
                                            "hours_from": "2026-11-09"}).status_code == 303
    assert anna.post(f"{base}/hours", data={"csrf": tok, "hours_per_week": "15",
                                            "hours_from": "2026-11-16"}).status_code == 303
    r = anna.post(f"{base}/plan", data={"csrf": tok, "sp_rows": "2",
                                        "sp-0-support": "fast makker på lageret",
                                        "sp-0-who": "employer", "sp-1-support": "",
                                        "next_follow_up": "2026-12-01", "goal_hours": "20",
                                        "note": "har fået en depression"})
    assert r.status_code == 400 and "ligner helbredsoplysninger" in _field_errors(r.text)["note"]
    assert _value(r.text, "sp-0-support") == "fast makker på lageret"
    assert anna.post(f"{base}/plan", data={"csrf": tok, "sp_rows": "2",
                                           "sp-0-support": "fast makker på lageret",
                                           "sp-0-who": "employer",
                                           "next_follow_up": "2026-12-01",
                                           "goal_hours": "20"}).status_code == 303
    assert anna.post("/citizens/demo-02/followalong",
                     data={"csrf": tok, "contact_date": "2026-11-12", "with_whom": "both",
                           "kind": "phone", "job_id": str(job.id),
                           "note": "Går godt"}).status_code == 303
    page = anna.get("/citizens/demo-02/followup").text
    line = re.search(rf'id="timeline-{job.id}">(.*?)</p>', page).group(1)
    assert re.sub(r"<[^>]+>", "", line).split() == ["8", "→", "12", "→", "15", "timer"]
    assert "fast makker på lageret" in page and "01.12.2026" in page and "Går godt" in page
    assert "Fleksjob" in page and "lagerchefen" in page
    r = anna.post(f"{base}/end", data={"csrf": tok, "end_date": "2026-10-01"})
    assert r.status_code == 400 and "end_date" in _field_errors(r.text)
    assert anna.post(f"{base}/end", data={"csrf": tok, "end_date": "2026-11-16",
                                          "end_reason": "Fik fast job andetsteds"}
                     ).status_code == 303
    page = anna.get("/citizens/demo-02/followup").text
    assert "Sluttet 16.11.2026: Fik fast job andetsteds" in page
    actions = {a["action"] for a in _store(app).list_access(citizen_id="demo-02",
                                                            consultant="kons-anna")}
    assert {"outcome", "job_hours", "support_plan", "followalong", "followup_show"} <= actions
    # another citizen's job is not reachable under this citizen
    assert anna.post(f"/citizens/demo-01/jobs/{job.id}/hours",
                     data={"csrf": tok, "hours_per_week": "9"}).status_code == 404


# --- the citizen's report -------------------------------------------------------------------

def test_report_for_the_citizen_with_their_comment(anna: Any, app: Any) -> None:
    page = anna.get("/citizens/demo-06/report").text
    report = page.split('id="report"', 1)[1].split("</article>", 1)[0]
    assert "Statusrapport" in report and "Dine timer nu" in report
    assert "12 timer om ugen hos Frederiksen Pizzeria" in report
    assert "score" not in report.lower()
    assert 'class="printable"' in page and "data-print" in page
    tok = csrf_of(page)
    r = anna.post("/citizens/demo-06/report",
                  data={"csrf": tok, "kind": "end", "comment": "Jeg er glad for køkkenet",
                        "next_steps": "Spørge om 15 timer"})
    assert r.status_code == 200
    report = r.text.split('id="report"', 1)[1].split("</article>", 1)[0]
    assert "Slutrapport" in report and "Jeg er glad for køkkenet" in report
    assert "Spørge om 15 timer" in report
    r = anna.post("/citizens/demo-06/report",
                  data={"csrf": tok, "comment": "Jeg har fået ny medicin mod depression"})
    assert r.status_code == 400  # at the comment, found by the refusal's code
    assert "ligner helbredsoplysninger" in _field_errors(r.text)["comment"]
    assert _value(r.text, "comment") == "Jeg har fået ny medicin mod depression"
    r = anna.post("/citizens/demo-06/report",
                  data={"csrf": tok, "next_steps": "Tale om medicin"})
    assert "ligner helbredsoplysninger (medicin)" in _field_errors(r.text)["next_steps"]
    r = anna.post("/citizens/demo-06/report", data={"csrf": tok, "from": "2026-12-01",
                                                    "to": "2026-11-01"})
    assert r.status_code == 400
    assert any(a["action"] == "report" for a in _store(app).list_access(citizen_id="demo-06"))


# --- the funder export ----------------------------------------------------------------------

def test_the_funder_export_is_for_team_leaders(anna: Any, leader: Any, app: Any) -> None:
    from ipsmatch.ips.funder import COLUMNS

    assert anna.get("/funder").status_code == 403
    assert anna.get("/funder/export.csv", params={"from": "2026-10"}).status_code == 403
    assert 'href="/funder"' not in anna.get("/caseload").text
    page = leader.get("/funder")
    assert page.status_code == 200 and 'href="/funder"' in page.text
    r = leader.get("/funder/export.csv", params={"from": "2026-10", "to": "2026-11"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == list(COLUMNS)
    demo06 = {x["month"]: x for x in rows if x["citizen_id"] == "demo-06"}
    assert demo06["2026-11"]["counts"] == "1" and demo06["2026-11"]["basis"] == "paid_hours"
    assert leader.get("/funder/export.csv", params={"from": "2026-13"}).status_code == 400
    assert any(a["action"] == "funder_export" and a["consultant"] == "leder-birgit"
               for a in _store(app).list_access(action="funder_export"))


# --- #13: one rendering of the commute estimate ---------------------------------------------

def test_the_header_shows_the_band_the_reason_says(anna: Any) -> None:
    checked = 0
    for cid in ("demo-01", "demo-02", "demo-03"):
        page = anna.get(f"/citizens/{cid}").text
        for art in re.findall(r'<article class="sugg" id="v-\d+">(.*?)</article>', page, re.S):
            said = re.search(r"ca\. (\d+–\d+) min [^<]*tjek ruten", art)
            meta = re.search(r'<p class="meta">(.*?)</p>', art, re.S)
            assert meta
            shown = re.search(r"(\d+(?:–\d+)?) min", re.sub(r"<[^>]+>", "", meta.group(1)))
            assert shown
            if said:
                assert shown.group(1) == said.group(1), (cid, shown.group(0), said.group(0))
                checked += 1
            else:
                assert "–" not in shown.group(1)
    assert checked >= 3  # the demo has such ads (e.g. demo-01 by bike, 7 km)


def test_every_new_page_needs_a_login(app: Any) -> None:
    with contextlib.closing(TestClient(app, follow_redirects=False)) as c:
        for path in ("/citizens/demo-06/career", "/citizens/demo-06/sheet",
                     "/citizens/demo-06/followup", "/citizens/demo-06/report", "/funder",
                     "/funder/export.csv?from=2026-11"):
            r = c.get(path)
            assert r.status_code == 303 and r.headers["location"].startswith("/login"), path


# --- the other forms' errors in the user's language ----------------------------------------

def _set_lang(client: Any, lang: str) -> None:
    tok = csrf_of(client.get("/caseload").text)
    assert client.post("/settings/lang", data={"csrf": tok, "lang": lang,
                                               "back": "/"}).status_code == 303


def _alert(page: str) -> str:
    """The text of the page's error box (tags dropped, entities read)."""
    m = re.search(r'<(?:p|div) class="error" role="alert">(.*?)</(?:p|div)>', page, re.S)
    assert m, "no error on the page"
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))


def test_contact_form_errors_in_danish_and_english(anna: Any, app: Any) -> None:
    tok = csrf_of(anna.get("/employers/1").text)
    form = {"csrf": tok, "kind": "phone", "purpose": "learn_business", "date": "i morgen"}
    r = anna.post("/employers/1/contacts", data=form)
    assert r.status_code == 400
    assert _alert(r.text) == ('Kontakten blev ikke registreret: Dato: "i morgen" er ikke en '
                              "dato (skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-11-12)")
    form.update(date="2026-11-10", next_date="2026-11-01")
    r = anna.post("/employers/1/contacts", data=form)
    assert _alert(r.text) == ("Kontakten blev ikke registreret: Næste skridt (dato): ligger før "
                              "kontaktens dato (det næste skridt kommer efter kontakten)")
    form.update(next_date="", date="2030-01-01")
    assert "2030-01-01 ligger i fremtiden (i dag er det 2026-11-16)" in _alert(
        anna.post("/employers/1/contacts", data=form).text)
    _set_lang(anna, "en")
    try:  # in English, the CLI's words
        form.update(date="2026-11-10", next_date="2026-11-01")
        r = anna.post("/employers/1/contacts", data=form)
        assert r.status_code == 400
        assert ("next_date: is before the contact date (the next step comes after the contact)"
                in _alert(r.text))
        assert "kontaktens dato" not in r.text
    finally:
        _set_lang(anna, "da")


def test_search_form_errors_in_danish_and_english(anna: Any) -> None:
    tok = csrf_of(anna.get("/search").text)
    cases = [({"near": "9400", "within_km": "tre"}, 'Inden for km: "tre" er ikke et tal',
              "within_km: 'tre' is not a number"),
             ({"near": "0000"}, '"0000" er ikke et kendt dansk postnummer (skriv et firecifret '
              "postnummer, fx 9400)",
              "'0000' is not a known Danish postcode (give a four-digit postcode, e.g. 9400)"),
             ({"within_km": "10"}, "en afstand i km kræver et postnummer at regne fra",
              "--within-km needs --near POSTCODE"),
             ({"q": " "}, "søgeteksten er tom", "the search text is empty")]
    for fields, danish, _ in cases:
        r = anna.post("/search", data={"csrf": tok, "q": "lager", **fields})
        assert r.status_code == 400 and _alert(r.text) == danish, fields
    _set_lang(anna, "en")
    try:
        for fields, _, english in cases:
            r = anna.post("/search", data={"csrf": tok, "q": "lager", **fields})
            assert r.status_code == 400 and _alert(r.text) == english, fields
    finally:
        _set_lang(anna, "da")


def test_users_form_errors_in_danish_and_english(app: Any) -> None:
    add_user(app.state.settings.db, "admin-carl", "admin")
    with _client(app, "admin-carl") as admin:
        tok = csrf_of(admin.get("/admin/users").text)
        good = {"csrf": tok, "name": "kons-ny2", "role": "consultant",
                "password": "correct horse battery", "lang": "da"}
        cases = [
            ({"name": "Carl Jensen"}, '"Carl Jensen" er ikke et gyldigt brugernavn (2-64 små '
             "bogstaver, cifre, '.', '_' eller '-', fx kons-anna)",
             "'Carl Jensen' is not a valid user name (2-64 lower-case letters, digits, '.', '_' "
             "or '-', e.g. kons-anna)"),
            ({"role": "boss"}, 'ukendt rolle "boss" (brug en af: consultant, leader, admin)',
             "unknown role 'boss' (use one of: consultant, leader, admin)"),
            ({"password": "kort"}, "adgangskoden er for kort (mindst 10 tegn)",
             "the password is too short (at least 10 characters)"),
            ({"lang": "fr"}, 'ukendt sprog "fr" (brug da eller en)',
             "unknown language 'fr' (use da or en)"),
            ({"name": "kons-anna"}, "brugeren kons-anna findes allerede (vælg et andet navn, "
             "eller deaktivér den gamle bruger)",
             "user kons-anna exists already (pick another name, or `ipsmatch users disable` "
             "the old one)"),
        ]
        for change, danish, _ in cases:
            r = admin.post("/admin/users", data={**good, **change})
            assert r.status_code == 400
            assert _alert(r.text) == f"Brugeren blev ikke oprettet: {danish}", change
        # a failed change of a listed user is not a failed add: its own heading, above the list
        r = admin.post("/admin/users/admin-carl/active", data={"csrf": tok, "active": "0"})
        assert r.status_code == 400
        assert _alert(r.text) == "Brugeren blev ikke ændret: du kan ikke deaktivere dig selv"
        assert "ikke oprettet" not in r.text
        assert r.text.index("ikke ændret") < r.text.index('id="users"')
        r = admin.post("/admin/users/kons-nobody/active", data={"csrf": tok, "active": "0"})
        assert r.status_code == 404 and 'id="users"' in r.text
        assert _alert(r.text) == ("Brugeren blev ikke ændret: brugeren kons-nobody findes ikke "
                                  "(tjek brugernavnet)")
        _set_lang(admin, "en")
        for change, _, english in cases:
            r = admin.post("/admin/users", data={**good, **change})
            assert r.status_code == 400 and english in _alert(r.text), change
            assert _alert(r.text).startswith("The user was not added: ")
        r = admin.post("/admin/users/admin-carl/active", data={"csrf": tok, "active": "0"})
        assert _alert(r.text) == "The user was not changed: you cannot disable yourself"
        assert "deaktivere" not in r.text
        r = admin.post("/admin/users/kons-nobody/active", data={"csrf": tok, "active": "1"})
        assert _alert(r.text) == ("The user was not changed: no user kons-nobody (see "
                                  "`ipsmatch users list`)")


def _not_found(r: Any) -> str:
    """The message of a 404 page (tags dropped, entities read)."""
    assert r.status_code == 404, r.status_code
    m = re.search(r'<p class="error"[^>]*>(.*?)</p>', r.text, re.S)
    assert m, "no message on the page"
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))


def test_not_found_in_danish_and_english(anna: Any, app: Any) -> None:
    _store(app).save_citizen("stub-9", {}, "kons-anna")  # as a contact log import adds one
    other_job = _store(app).list_job_starts(citizen="demo-06")[0].id
    tok = csrf_of(anna.get("/caseload").text)
    no_profile = ("borgeren stub-9 har endnu ingen profil (udfyld først profilen på borgerens "
                  "side)", "citizen stub-9 has no profile yet (fill in the profile on the "
                  "citizen page first)")
    cases = [
        (("GET", "/citizens/nobody"), "borgeren nobody findes ikke (tjek sags-id'et)",
         "no citizen nobody (see `ipsmatch citizen list`)"),
        (("GET", "/citizens/nobody/career"), "borgeren nobody findes ikke (tjek sags-id'et)",
         "no citizen nobody (see `ipsmatch citizen list`)"),
        (("GET", "/employers/99999"), "arbejdsgiveren 99999 findes ikke (tjek "
         "arbejdsgiverens nummer, CVR-nummer eller navn)",
         "no employer 99999 (see `ipsmatch employers list`)"),
        (("GET", "/citizens/stub-9/map"), *no_profile),
        (("GET", "/citizens/stub-9/print"), *no_profile),
        (("GET", "/citizens/stub-9/sheet"), *no_profile),
        (("POST", "/citizens/demo-06/jobs/999999/hours"),
         "der er ingen jobstart med nummer 999999 (tjek jobbets nummer)",
         "no job start 999999 (see `ipsmatch outcomes list`)"),
        (("POST", f"/citizens/demo-01/jobs/{other_job}/end"),
         f"borgeren demo-01 har ingen jobstart med nummer {other_job}",
         f"no job start {other_job} for demo-01"),
    ]

    def fetch(method: str, path: str) -> Any:
        if method == "GET":
            return anna.get(path)
        return anna.post(path, data={"csrf": tok, "hours_per_week": "9"})

    for (method, path), danish, _ in cases:
        r = fetch(method, path)
        assert _not_found(r) == danish, path
        assert "<h1>Ikke fundet</h1>" in r.text
    # the contact form names the unknown citizen in its error box
    r = anna.post("/employers/1/contacts", data={"csrf": tok, "kind": "phone",
                                                 "purpose": "learn_business",
                                                 "citizen": "nobody"})
    assert r.status_code == 400
    assert _alert(r.text) == ("Kontakten blev ikke registreret: borgeren nobody findes ikke "
                              "(tjek sags-id'et)")
    _set_lang(anna, "en")
    try:
        for (method, path), _, english in cases:
            r = fetch(method, path)
            assert _not_found(r) == english, path
            assert "<h1>Not found</h1>" in r.text and "findes ikke" not in r.text
    finally:
        _set_lang(anna, "da")


def test_period_errors_in_danish_and_english_with_the_forms_hints(leader: Any,
                                                                   anna: Any) -> None:
    reversed_days = ("perioden slutter (2026-11-01) før den begynder (2026-12-01) (byt om på "
                     "Fra og Til)", "the period ends (2026-11-01) before it starts "
                     "(2026-12-01) (swap From and To)")
    cases = [
        ("/fidelity", {"from": "2026-12-01", "to": "2026-11-01"}, *reversed_days),
        ("/fidelity", {"from": "2026-13-01"}, 'Fra: "2026-13-01" er ikke en dato (skriv datoen '
         "som ÅÅÅÅ-MM-DD, fx 2026-11-12)", "from: '2026-13-01' is not a date (write dates as "
         "YYYY-MM-DD, e.g. 2026-11-12)"),
        ("/fidelity", {"from": "1990-01-01", "to": "2026-11-01"}, "perioden 1990-01-01 til "
         "2026-11-01 er længere end 20 år (fideliteten gennemgås et kvartal eller et år ad "
         "gangen)", "the period 1990-01-01 to 2026-11-01 is longer than 20 years (fidelity is "
         "reviewed a quarter or a year at a time)"),
        ("/funder/export.csv", {"from": "2026-13"}, '"2026-13" er ikke en måned (skriv ÅÅÅÅ-MM, '
         "fx 2026-09)", "'2026-13' is not a month (write YYYY-MM, e.g. 2026-09)"),
        ("/funder/export.csv", {"from": "2026-09", "to": "nov"}, '"nov" er ikke en måned '
         "(skriv ÅÅÅÅ-MM, fx 2026-09)", "'nov' is not a month (write YYYY-MM, e.g. 2026-09)"),
        ("/funder/export.csv", {"from": "2026-11", "to": "2026-09"}, "den sidste måned "
         "(2026-09) ligger før den første (2026-11) (byt om på Første måned og Sidste måned)",
         "the last month (2026-09) is before the first (2026-11) (swap the first and the last "
         "month)"),
    ]
    for path, params, danish, _ in cases:
        r = leader.get(path, params=params)
        assert r.status_code == 400 and _alert(r.text) == danish, params
        assert "--from" not in r.text
    tok = csrf_of(anna.get("/citizens/demo-06/report").text)
    report = {"csrf": tok, "from": "2026-12-01", "to": "2026-11-01"}
    r = anna.post("/citizens/demo-06/report", data=report)
    assert r.status_code == 400
    assert _alert(r.text) == f"Rapporten kunne ikke laves: {reversed_days[0]}"
    _set_lang(leader, "en")
    _set_lang(anna, "en")
    try:
        for path, params, _, english in cases:
            r = leader.get(path, params=params)
            assert r.status_code == 400 and _alert(r.text) == english, params
        r = anna.post("/citizens/demo-06/report", data=report)
        assert _alert(r.text) == f"The report could not be made: {reversed_days[1]}"
    finally:
        _set_lang(leader, "da")
        _set_lang(anna, "da")


def test_every_disclosure_field_with_an_error_is_shown_at_once(anna: Any, app: Any) -> None:
    before = _profile(app, "demo-05")
    tok = csrf_of(anna.get("/citizens/demo-05/career").text)
    # a yes without its date, a need the citizen does not have, a health word in the note
    data = {"csrf": tok, "consent": "yes", "share": "accommodations",
            "accommodations": "no_mondays", "disclosure_note": "Har fået en depression"}
    r = anna.post("/citizens/demo-05/disclosure", data=data)
    assert r.status_code == 400
    errors = _field_errors(r.text)
    assert set(errors) == {"consent_date", "accommodations", "disclosure_note"}, errors
    assert errors["consent_date"] == ("borgerens svar om samtykke skal have den dato, det blev "
                                      "givet (skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-11-02)")
    assert errors["accommodations"].startswith('"no_mondays" er ikke et af borgerens '
                                               "skånehensyn")
    assert errors["disclosure_note"].startswith("teksten ligner helbredsoplysninger "
                                                "(depression); ")
    assert _value(r.text, "disclosure_note") == "Har fået en depression"
    assert _profile(app, "demo-05") == before  # the stand-in date is never stored
    # a bad date is named as such, beside the others
    errors = _field_errors(anna.post("/citizens/demo-05/disclosure",
                                     data={**data, "consent_date": "i går"}).text)
    assert errors["consent_date"] == '"i går" er ikke en dato (skriv ÅÅÅÅ-MM-DD)'
    assert set(errors) == {"consent_date", "accommodations", "disclosure_note"}
    assert _profile(app, "demo-05") == before


def test_every_follow_up_field_with_an_error_is_shown_at_once(anna: Any, app: Any) -> None:
    jobs = len(_store(app).list_job_starts(citizen="demo-03"))
    tok = csrf_of(anna.get("/citizens/demo-03/followup").text)
    start = {"csrf": tok, "title": "", "employer_name": "", "employer_cvr": "",
             "start_date": "2030-01-01", "hours_per_week": "mange", "wage_form": "ordinary",
             "contact_person": "hende med depression"}
    r = anna.post("/citizens/demo-03/jobs", data=start)
    assert r.status_code == 400
    errors = _field_errors(r.text)
    assert errors == {
        "title": "skal udfyldes",
        "employer_cvr": "der er ikke angivet nogen arbejdsgiver (skriv CVR-nummeret (8 cifre) "
                        "eller arbejdsgiverens navn (mere end en selskabsform som A/S))",
        "hours_per_week": '"mange" er ikke et tal',
        "start_date": "2030-01-01 ligger i fremtiden (i dag er det 2026-11-16) (registrér det, "
                      "der er sket; skriv planer som næste skridt og dato)",
        "contact_person": errors["contact_person"],
    }, errors
    assert errors["contact_person"].startswith("teksten ligner helbredsoplysninger (depression)")
    assert 'name="start_date" placeholder="2026-11-16" value="2030-01-01"' in r.text
    assert len(_store(app).list_job_starts(citizen="demo-03")) == jobs  # nothing stored
    # all fixed: stored (the stand-ins never are)
    r = anna.post("/citizens/demo-03/jobs", data={**start, "title": "Pakkeri",
                                                  "employer_name": "Pakhuset ApS",
                                                  "start_date": "2026-11-09",
                                                  "hours_per_week": "10",
                                                  "contact_person": "lageret"})
    assert r.status_code == 303
    job = _store(app).list_job_starts(citizen="demo-03")[-1]
    assert (job.title, job.employer_name, job.employer_cvr) == ("Pakkeri", "Pakhuset ApS", None)
    # the hours form: hours left empty and a day before the job began, both at once
    r = anna.post(f"/citizens/demo-03/jobs/{job.id}/hours",
                  data={"csrf": tok, "hours_per_week": "", "hours_from": "2026-11-01"})
    assert _field_errors(r.text) == {"hours_per_week": "hvor mange timer om ugen nu?",
                                     "hours_from": "ligger før jobbets første dag"}
    # the plan: a health word in a support row, hours that are no week and a bad date
    r = anna.post(f"/citizens/demo-03/jobs/{job.id}/plan",
                  data={"csrf": tok, "sp_rows": "1", "sp-0-support": "tale om medicinen",
                        "sp-0-who": "consultant", "goal_hours": "200",
                        "next_follow_up": "snart"})
    errors = _field_errors(r.text)
    assert set(errors) == {"sp-0-support", "goal_hours", "next_follow_up"}, errors
    assert errors["goal_hours"] == "200 timer er ikke en arbejdsuge"
    assert errors["next_follow_up"].startswith('"snart" er ikke en dato')
    # follow-along: a future date and a health word in the note
    r = anna.post("/citizens/demo-03/followalong",
                  data={"csrf": tok, "contact_date": "2030-01-01", "with_whom": "citizen",
                        "kind": "phone", "job_id": "", "note": "om hendes diagnose"})
    assert set(_field_errors(r.text)) == {"contact_date", "note"}
    _set_lang(anna, "en")
    try:
        errors = _field_errors(anna.post("/citizens/demo-03/jobs", data=start).text)
        assert errors["title"] == "is required"
        assert errors["hours_per_week"] == "hours_per_week: 'mange' is not a number"
        assert set(errors) == {"title", "employer_cvr", "hours_per_week", "start_date",
                               "contact_person"}
    finally:
        _set_lang(anna, "da")


def test_fidelity_table_names_every_column_in_the_pages_language(leader: Any) -> None:
    import re

    def headers() -> list[str]:
        r = leader.get("/fidelity", params={"from": "2026-10-01", "to": "2026-11-16"})
        assert r.status_code == 200
        table = r.text.split('id="fidelity-table"', 1)[1].split("</thead>", 1)[0]
        return re.findall(r'<th scope="col">([^<]+)</th>', table)

    da = headers()
    assert da[:4] == ["Konsulent", "Aktive sager", "Personlige møder", "Møder pr. uge"]
    assert "Forskellige arbejdsgivere" in da and "Uddannelsesstarter" in da
    _set_lang(leader, "en")
    try:
        en = headers()
    finally:
        _set_lang(leader, "da")
    assert len(en) == len(da) == 15
    assert "Flex jobs" in en and "Days to first start (median)" in en
    # no column falls back to its key or to the Danish header
    assert not [h for h in en if "_" in h or h in da]


def test_an_address_no_page_serves_is_the_workspaces_own_page(anna: Any, app: Any) -> None:
    r = anna.get("/employers")
    assert _not_found(r) == "siden /employers findes ikke (brug menuen øverst)"
    assert "Log ud" in r.text  # the menu of the signed-in user, not a bare JSON body
    _set_lang(anna, "en")
    try:
        assert _not_found(anna.get("/nowhere")) == \
            "there is no page /nowhere (use the menu at the top)"
    finally:
        _set_lang(anna, "da")
