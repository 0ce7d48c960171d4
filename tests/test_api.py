"""The HTTP JSON API (#16) over real HTTP: `ipsmatch serve` in a subprocess on loopback, httpx
as the client, the demo data in a fresh SQLite file and (when a server is available) a fresh
PostgreSQL database served by two workers.

Every response is checked against the OpenAPI document the server itself serves.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from tests.conftest import FIXTURES, REPO, pg_database

TODAY = "2026-11-16"


@dataclass
class Server:
    base: str
    db: str
    tokens: dict[str, str]
    doc: dict[str, Any]
    workers: int
    env: dict[str, str]
    tmp: Path

    def client(self, who: str | None = "cons") -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(db: str, *args: str) -> str:
    from ipsmatch.cli import cli

    r = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.stdout


def _load_demo(db: str) -> None:
    """The demo's own steps (ipsmatch demo), without its suggest and reports."""
    from ipsmatch.cli.demo import demo_steps

    for step in demo_steps(FIXTURES, "demo-01"):
        if step[0] in ("init", "employers", "citizen", "contacts", "outcomes", "followup"):
            _cli(db, *step)
        elif step[:2] == ["index", "refresh"]:
            _cli(db, *step, "--no-warm")


@contextlib.contextmanager
def serving(env: dict[str, str], workers: int, tmp: Path) -> Iterator[str]:
    """`ipsmatch serve` in a subprocess on a free loopback port; yields its base URL."""
    port = _free_port()
    log_path = tmp / f"server-{port}.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "ipsmatch", "serve", "--port",
                                 str(port), "--workers", str(workers)], env=env, stdout=log,
                                stderr=subprocess.STDOUT, cwd=tmp)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("server did not start:\n"
                                       + log_path.read_text(encoding="utf-8"))
                time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("api")
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            db, workers = f"sqlite:///{tmp / 'ipsmatch.db'}", 1
        else:
            db, workers = stack.enter_context(pg_database()), 2
        yield from _serve(db, workers, tmp)


def _serve(db: str, workers: int, tmp: Path) -> Iterator[Server]:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp / "xdg"), "IPSMATCH_TODAY": TODAY,
           "IPSMATCH_DB": db, "IPSMATCH_RELOAD_CHECK": "1", "IPSMATCH_API_RATE": "100000",
           "PYTHONPATH": str(REPO)}
    with pytest.MonkeyPatch.context() as mp:
        for k in ("XDG_DATA_HOME", "IPSMATCH_TODAY"):
            mp.setenv(k, env[k])
        _load_demo(db)
        tokens = {}
        for who, role in (("cons", "consultant"), ("lead", "leader"), ("adm", "admin")):
            tokens[who] = _cli(db, "tokens", "create", "--name", f"sys-{who}",
                               "--role", role).split()[0]
    with serving(env, workers, tmp) as base:
        doc = httpx.get(base + "/api/v1/openapi.json", timeout=10,
                        headers={"Authorization": f"Bearer {tokens['cons']}"}).json()
        yield Server(base, db, tokens, doc, workers, env, tmp)


# --- the response matches the OpenAPI document ----------------------------------------------

def check(srv: Server, r: httpx.Response, method: str, path: str, status: int) -> Any:
    """Assert the status, and that the body matches the document's schema for it."""
    import jsonschema

    assert r.status_code == status, r.text
    body = r.json()
    op = srv.doc["paths"][path][method.lower()]
    assert str(status) in op["responses"], f"{method} {path}: {status} is not documented"
    schema = op["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.validate(body, {**schema, "components": srv.doc["components"]})
    if status >= 400:
        err = body["error"]
        assert err["message"] and err["code"]
    return body


def _store(srv: Server) -> Any:
    from ipsmatch.store import Store

    return Store.open(srv.db)


# --- suggest, search, occupations -----------------------------------------------------------

def test_suggest_is_the_cli_json_and_is_logged(server: Server, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = "/api/v1/citizens/{citizen_id}/suggest"
    with server.client() as c:
        r = c.get("/api/v1/citizens/demo-01/suggest",
                  params={"limit": 5, "explain": "true", "show_excluded": "true"})
    body = check(server, r, "GET", path, 200)
    assert body["citizen"]["id"] == "demo-01" and 0 < len(body["vacancies"]) <= 5
    assert "explain" in body["vacancies"][0] and "excluded" in body
    monkeypatch.setenv("IPSMATCH_TODAY", TODAY)
    monkeypatch.setenv("IPSMATCH_CONSULTANT", "kons-test")
    cli_json = json.loads(_cli(server.db, "suggest", "demo-01", "--limit", "5", "--explain",
                               "--show-excluded", "--format", "json"))
    assert body == cli_json  # one serializer: the API sends what the CLI prints
    access = _store(server).list_access(citizen_id="demo-01", action="suggest")
    assert "sys-cons" in {a["consultant"] for a in access}


def test_suggest_errors(server: Server) -> None:
    path = "/api/v1/citizens/{citizen_id}/suggest"
    with server.client() as c:
        check(server, c.get("/api/v1/citizens/nobody/suggest"), "GET", path, 404)
        bad = check(server, c.get("/api/v1/citizens/demo-01/suggest", params={"limit": 0}),
                    "GET", path, 400)
        assert bad["error"]["field"] == "limit"
        check(server, c.get("/api/v1/citizens/demo-01/suggest", params={"lang": "fr"}),
              "GET", path, 400)


def test_suggest_for_a_profile_in_the_body(server: Server) -> None:
    profile = {"id": "tmp-1", "home_postcode": "9400", "wishes": ["lagerarbejde"],
               "travel": {"mode": "car", "max_minutes": 40}, "needs": ["no_night"]}
    with server.client() as c:
        body = check(server, c.post("/api/v1/suggest", json=profile,
                                    params={"limit": 3, "lang": "en", "per_employer": 1}),
                     "POST", "/api/v1/suggest", 200)
        assert body["vacancies"] and len(body["vacancies"]) <= 3
        err = check(server, c.post("/api/v1/suggest", json={**profile, "home_postcode": "99"}),
                    "POST", "/api/v1/suggest", 422)
        assert err["error"]["field"] == "home_postcode" and "postcode" in err["error"]["message"]
        err = check(server, c.post("/api/v1/suggest",
                                   json={**profile, "hours": {"max": "many"}}),
                    "POST", "/api/v1/suggest", 422)
        assert err["error"]["field"] == "hours.max"
        err = check(server, c.post("/api/v1/suggest",
                                   json={**profile, "needs": ["no_mondays"]}),
                    "POST", "/api/v1/suggest", 422)
        assert "no_mondays" in err["error"]["message"]


def test_search_and_occupations(server: Server) -> None:
    # POST: the search text stays out of URLs and the server's request log
    search, occupations = "/api/v1/search", "/api/v1/occupations/match"
    with server.client() as c:
        body = check(server, c.post(search, json={"text": "lager", "near": "9000",
                                                  "within_km": 50, "limit": 3}),
                     "POST", search, 200)
        assert body["query"] == "lager" and body["vacancies"]
        err = check(server, c.post(search, json={"text": "lager", "needs": ["no_mondays"]}),
                    "POST", search, 400)
        assert "no_mondays" in err["error"]["message"]
        check(server, c.post(search, json={"text": "lager", "within_km": 5}), "POST", search,
              400)
        err = check(server, c.post(search, json={"limit": 3}), "POST", search, 422)
        assert err["error"]["field"] == "text"
        occ = check(server, c.post(occupations, json={"text": "truckfører", "limit": 3}),
                    "POST", occupations, 200)
        assert occ["matches"] and occ["matches"][0]["uri"].startswith("http")
        check(server, c.post(occupations, json={"text": "x", "limit": 0}), "POST",
              occupations, 422)


# --- citizens -------------------------------------------------------------------------------

def test_citizens_create_read_update_forget(server: Server) -> None:
    item = "/api/v1/citizens/{citizen_id}"
    cid = f"api-{uuid.uuid4().hex[:6]}"
    profile = {"id": cid, "home_postcode": "9000", "wishes": ["kantine"],
               "hours": {"max": 15}}
    with server.client() as c:
        made = check(server, c.post("/api/v1/citizens", json=profile), "POST",
                     "/api/v1/citizens", 201)
        assert made["wishes"] == ["kantine"]
        check(server, c.post("/api/v1/citizens", json=profile), "POST", "/api/v1/citizens", 409)
        cpr = check(server, c.post("/api/v1/citizens", json={**profile, "id": "x",
                                                             "avoid": ["010190-1234"]}),
                    "POST", "/api/v1/citizens", 422)
        assert cpr["error"]["code"] == "personal_data_refused"
        ids = [r["id"] for r in check(server, c.get("/api/v1/citizens"), "GET",
                                      "/api/v1/citizens", 200)]
        assert cid in ids and "x" not in ids
        assert check(server, c.get(f"/api/v1/citizens/{cid}"), "GET", item, 200)["id"] == cid
        check(server, c.get("/api/v1/citizens/nobody"), "GET", item, 404)
        changed = check(server, c.put(f"/api/v1/citizens/{cid}",
                                      json={**profile, "wishes": ["lager"]}), "PUT", item, 200)
        assert changed["wishes"] == ["lager"]
        check(server, c.put(f"/api/v1/citizens/{cid}", json={**profile, "id": "other"}),
              "PUT", item, 400)
        check(server, c.put("/api/v1/citizens/nobody", json={**profile, "id": "nobody"}),
              "PUT", item, 404)
        check(server, c.put(f"/api/v1/citizens/{cid}", json={**profile, "travel": {
            "mode": "rocket"}}), "PUT", item, 422)
        gone = check(server, c.delete(f"/api/v1/citizens/{cid}"), "DELETE", item, 200)
        assert gone["citizens"] == 1
        check(server, c.get(f"/api/v1/citizens/{cid}"), "GET", item, 404)
        check(server, c.delete(f"/api/v1/citizens/{cid}"), "DELETE", item, 404)
    actions = {(a["consultant"], a["action"]) for a in _store(server).list_access()}
    assert {("sys-cons", "save"), ("sys-cons", "show"), ("sys-cons", "forget")} <= actions


def test_not_found_in_the_requests_language(server: Server) -> None:
    """``error.code`` stays the machine's; the message and hint follow Accept-Language
    (English without one, as the API always answered)."""
    item = "/api/v1/citizens/{citizen_id}"
    contact = {"date": "2026-11-12", "employer_cvr": "93964128", "citizen_id": "nobody",
               "kind": "phone"}
    with server.client() as c:
        for headers, message, hint in [
                ({}, "no citizen nobody", "see `ipsmatch citizen list`"),
                ({"Accept-Language": "en-GB,en;q=0.9,da;q=0.8"}, "no citizen nobody",
                 "see `ipsmatch citizen list`"),
                ({"Accept-Language": "da-DK,da;q=0.9,en;q=0.8"}, "borgeren nobody findes ikke",
                 "tjek sags-id'et"),
                ({"Accept-Language": "fr, da;q=0.5"}, "borgeren nobody findes ikke",
                 "tjek sags-id'et")]:
            r = c.get("/api/v1/citizens/nobody", headers=headers)
            err = check(server, r, "GET", item, 404)["error"]
            assert (err["code"], err["message"], err["hint"]) == ("not_found", message, hint)
        da = {"Accept-Language": "da"}
        err = check(server, c.post("/api/v1/contacts", json=contact, headers=da),
                    "POST", "/api/v1/contacts", 404)["error"]
        assert err["message"] == 'der er ingen borger med sags-id\'et "nobody"'
        err = check(server, c.put("/api/v1/citizens/nobody", headers=da,
                                  json={"id": "nobody", "home_postcode": "9400"}),
                    "PUT", item, 404)["error"]
        assert (err["message"], err["hint"]) == ("borgeren nobody findes ikke",
                                                 "opret borgeren med POST /api/v1/citizens")
        err = check(server, c.post("/api/v1/outcomes/999999/end", json={}, headers=da),
                    "POST", "/api/v1/outcomes/{job_id}/end", 404)["error"]
        assert err["message"] == "der er ingen jobstart med nummer 999999"


def test_auth_and_the_apis_own_errors_in_the_requests_language(server: Server) -> None:
    da = {"Accept-Language": "da"}
    cases = [  # (who, method, path, body, status, code, English, Danish)
        (None, "GET", "/api/v1/citizens", None, 401, "unauthorized",
         "an API token is needed", "der skal en API-nøgle med"),
        ("bad", "GET", "/api/v1/citizens", None, 401, "unauthorized",
         "the API token is unknown or revoked", "API-nøglen er ukendt eller tilbagekaldt"),
        ("cons", "GET", "/api/v1/fidelity", None, 403, "forbidden",
         "this needs the leader role", 'det kræver rollen "leader"'),
        ("cons", "POST", "/api/v1/citizens", {"id": "demo-01", "home_postcode": "9400"}, 409,
         "exists", "citizen demo-01 exists already", "borgeren demo-01 findes allerede"),
        ("cons", "PUT", "/api/v1/citizens/demo-01", {"id": "demo-02", "home_postcode": "9400"},
         400, "id_mismatch", "the body has id 'demo-02', the URL 'demo-01'",
         'indholdet har id\'et "demo-02", adressen "demo-01"'),
        ("cons", "GET", "/api/v1/citizens/demo-01/sheet", None, 409, "consent_refused",
         "no jobudviklingsark: demo-01 has not been asked about employer contact yet "
         "(disclosure.consent = not_asked)",
         "intet jobudviklingsark endnu: borgeren demo-01 er ikke spurgt, om arbejdsgivere må "
         "kontaktes"),
    ]
    for who, method, path, body, status, code, english, danish in cases:
        for headers, message in (({}, english), (da, danish)):
            auth = {"Authorization": "Bearer ipsm_not-a-token"} if who == "bad" else {}
            with server.client(None if who == "bad" else who) as c:
                r = c.request(method, path, json=body, headers={**headers, **auth})
            assert r.status_code == status, (path, r.text)
            err = r.json()["error"]
            assert (err["code"], err["message"]) == (code, message), path
            assert err["hint"], path
            assert r.headers["content-language"] == ("da" if headers else "en")
            if status == 401:
                assert r.headers["www-authenticate"] == "Bearer"
    with server.client(None) as c:
        r = c.get("/api/v1/citizens", headers=da)
    assert r.json()["error"]["hint"].startswith("send `Authorization: Bearer NØGLE`; en "
                                                "administrator opretter en med")


# --- job development ------------------------------------------------------------------------

def test_contacts(server: Server) -> None:
    contact = {"date": "2026-11-12", "employer_cvr": "93964128", "citizen_id": "demo-02",
               "kind": "telefon", "learned": ["open_to_part_time"], "next_step": "Ring igen"}
    with server.client() as c:
        made = check(server, c.post("/api/v1/contacts", json=contact), "POST",
                     "/api/v1/contacts", 201)
        assert made["consultant"] == "sys-cons" and made["kind"] == "phone"
        listed = check(server, c.get("/api/v1/contacts", params={"citizen": "demo-02"}),
                       "GET", "/api/v1/contacts", 200)
        assert made["id"] in [x["id"] for x in listed]
        err = check(server, c.post("/api/v1/contacts", json={**contact, "date": "2030-01-01"}),
                    "POST", "/api/v1/contacts", 422)
        assert err["error"]["field"] == "date"
        check(server, c.post("/api/v1/contacts", json={**contact, "citizen_id": "nobody"}),
              "POST", "/api/v1/contacts", 404)
        check(server, c.post("/api/v1/contacts", json={**contact, "colour": "red"}),
              "POST", "/api/v1/contacts", 422)
        check(server, c.get("/api/v1/contacts", params={"from": "yesterday"}),
              "GET", "/api/v1/contacts", 400)
    access = _store(server).list_access(citizen_id="demo-02", consultant="sys-cons")
    assert {"contact", "contacts"} <= {a["action"] for a in access}


def test_feedback_and_outcomes(server: Server) -> None:
    with server.client() as c:
        sugg = c.get("/api/v1/citizens/demo-03/suggest", params={"limit": 1}).json()
        v = sugg["vacancies"][0]
        fb = {"citizen_id": "demo-03", "verdict": "applied",
              "vacancy": f"{v['source']}:{v['external_id']}", "date": "2026-11-15"}
        made = check(server, c.post("/api/v1/feedback", json=fb), "POST", "/api/v1/feedback", 201)
        assert made["vacancy"] == fb["vacancy"]
        check(server, c.post("/api/v1/feedback", json={**fb, "vacancy": "nocolon"}),
              "POST", "/api/v1/feedback", 422)
        check(server, c.post("/api/v1/feedback", json={**fb, "verdict": "maybe"}),
              "POST", "/api/v1/feedback", 422)
        check(server, c.post("/api/v1/feedback", json={**fb, "citizen_id": "nobody"}),
              "POST", "/api/v1/feedback", 404)
        listed = check(server, c.get("/api/v1/citizens/demo-03/feedback"), "GET",
                       "/api/v1/citizens/{citizen_id}/feedback", 200)
        assert [x["verdict"] for x in listed] == ["applied"]
        check(server, c.get("/api/v1/citizens/nobody/feedback"), "GET",
              "/api/v1/citizens/{citizen_id}/feedback", 404)

        job = {"citizen_id": "demo-03", "title": "Lagermedarbejder", "employer_cvr": "93964128",
               "start_date": "2026-11-10", "hours_per_week": 12, "competitive": True}
        started = check(server, c.post("/api/v1/outcomes", json=job), "POST",
                        "/api/v1/outcomes", 201)
        check(server, c.post("/api/v1/outcomes", json={**job, "hours_per_week": 200}),
              "POST", "/api/v1/outcomes", 422)
        check(server, c.post("/api/v1/outcomes", json={**job, "citizen_id": "nobody"}),
              "POST", "/api/v1/outcomes", 404)
        end = "/api/v1/outcomes/{job_id}/end"
        ended = check(server, c.post(f"/api/v1/outcomes/{started['id']}/end",
                                     json={"end_date": "2026-11-14", "reason": "quit"}),
                      "POST", end, 200)
        assert ended["end_reason"] == "quit"
        check(server, c.post("/api/v1/outcomes/999999/end", json={}), "POST", end, 404)
        check(server, c.post(f"/api/v1/outcomes/{started['id']}/end",
                             json={"end_date": "2026-11-01"}), "POST", end, 422)
        listed = check(server, c.get("/api/v1/outcomes", params={"citizen": "demo-03"}),
                       "GET", "/api/v1/outcomes", 200)
        assert started["id"] in [j["id"] for j in listed]


def test_fidelity_for_all_needs_the_leader_role(server: Server) -> None:
    params = {"from": "2026-10-01", "to": TODAY}
    with server.client("cons") as c:
        err = check(server, c.get("/api/v1/fidelity", params=params), "GET",
                    "/api/v1/fidelity", 403)
        assert "leader" in err["error"]["message"]
        check(server, c.get("/api/v1/fidelity", params={**params, "consultant": "kons-anna"}),
              "GET", "/api/v1/fidelity", 403)
        own = check(server, c.get("/api/v1/fidelity", params={**params,
                                                             "consultant": "sys-cons"}),
                    "GET", "/api/v1/fidelity", 200)
        assert [f["consultant"] for f in own["consultants"]] == ["sys-cons"]
    for who in ("lead", "adm"):
        with server.client(who) as c:
            team = check(server, c.get("/api/v1/fidelity", params=params), "GET",
                         "/api/v1/fidelity", 200)
            assert team["team"]["contacts"] > 0 and len(team["consultants"]) > 1


def test_index_status(server: Server) -> None:
    with server.client() as c:
        st = check(server, c.get("/api/v1/index/status"), "GET", "/api/v1/index/status", 200)
    assert st["vacancies_active"] > 0 and st["matcher"]["data_stamp"]


# --- IPS beyond the job search (#17) --------------------------------------------------------

def test_career_and_disclosure(server: Server) -> None:
    career, disclosure = "/api/v1/citizens/{citizen_id}/career", \
        "/api/v1/citizens/{citizen_id}/disclosure"
    with server.client() as c:
        got = check(server, c.get("/api/v1/citizens/demo-04/career"), "GET", career, 200)
        assert got == {}
        check(server, c.get("/api/v1/citizens/nobody/career"), "GET", career, 404)
        body = {"wants": "Arbejde udenfor", "strengths": ["stabil"],
                "work_history": [{"title": "Gartner", "from": 2016, "to": 2019,
                                  "went_badly": "for mange timer"}],
                "hours": {"now": 10, "goal": 18}, "supports": ["fast kontaktperson"]}
        put = check(server, c.put("/api/v1/citizens/demo-04/career", json=body), "PUT",
                    career, 200)
        assert put["work_history"][0] == {"title": "Gartner", "from": 2016, "to": 2019,
                                          "went_badly": "for mange timer"}
        assert check(server, c.get("/api/v1/citizens/demo-04/career"), "GET", career,
                     200) == put
        whole = c.get("/api/v1/citizens/demo-04").json()
        assert whole["career"] == put and whole["wishes"]  # the rest is kept
        err = check(server, c.put("/api/v1/citizens/demo-04/career", json={
            "work_history": [{"title": "Gartner", "from": 2019, "to": 2016}]}), "PUT", career,
            422)
        assert err["error"]["field"] == "career.work_history[0]"
        err = check(server, c.put("/api/v1/citizens/demo-04/career",
                                  json={"strengths": ["har skizofreni"]}), "PUT", career, 422)
        assert "health details" in err["error"]["message"]
        assert err["error"]["field"] == "career.strengths[0]"
        err = check(server, c.put("/api/v1/citizens/demo-04/career",
                                  json={"wants": "cpr 010190-1234"}), "PUT", career, 422)
        assert "010190" not in json.dumps(err)
        err = check(server, c.put("/api/v1/citizens/demo-04/career",
                                  json={"diagnosis": "x"}), "PUT", career, 422)
        assert err["error"]["field"] == "career"
        assert c.get("/api/v1/citizens/demo-04/career").json() == put  # nothing changed

        got = check(server, c.get("/api/v1/citizens/demo-04/disclosure"), "GET", disclosure,
                    200)
        assert got == {"consent": "not_asked", "share": "nothing"}
        err = check(server, c.put("/api/v1/citizens/demo-04/disclosure",
                                  json={"consent": "yes"}), "PUT", disclosure, 422)
        assert err["error"]["field"] == "disclosure.date"
        check(server, c.put("/api/v1/citizens/demo-04/disclosure",
                            json={"consent": "maybe"}), "PUT", disclosure, 422)
        err = check(server, c.put("/api/v1/citizens/demo-04/disclosure", json={
            "consent": "yes", "date": "2026-11-10", "share": "accommodations",
            "accommodations": ["no_mondays"]}), "PUT", disclosure, 422)
        assert err["error"]["field"] == "disclosure.accommodations[0]"
        put = check(server, c.put("/api/v1/citizens/demo-04/disclosure", json={
            "consent": "yes", "date": "2026-11-10", "share": "ips"}), "PUT", disclosure, 200)
        assert put == {"consent": "yes", "date": "2026-11-10", "share": "ips"}
    actions = {a["action"] for a in _store(server).list_access(citizen_id="demo-04",
                                                               consultant="sys-cons")}
    assert {"career", "disclosure", "save"} <= actions


def test_the_sheet_honours_consent(server: Server) -> None:
    path = "/api/v1/citizens/{citizen_id}/sheet"
    with server.client() as c:
        body = check(server, c.get("/api/v1/citizens/demo-06/sheet"), "GET", path, 200)
        text = body["text"]
        assert "mødestabil" not in text  # not confirmed: pending, not on the sheet
        assert "career.strengths[0]" in [t["key"] for t in body["pending"]]
        assert "Aftenvagterne" not in json.dumps(body, ensure_ascii=False)  # went badly
        body = check(server, c.get("/api/v1/citizens/demo-06/sheet",
                                   params={"include": "career.strengths[0]"}), "GET", path, 200)
        assert "mødestabil" in body["text"] and body["included"] == ["career.strengths[0]"]
        err = check(server, c.get("/api/v1/citizens/demo-01/sheet"), "GET", path, 409)
        assert err["error"]["code"] == "consent_refused" and "not_asked" in \
            err["error"]["message"]
        check(server, c.put("/api/v1/citizens/demo-05/disclosure",
                            json={"consent": "no", "date": "2026-11-10", "share": "ips"}),
              "PUT", "/api/v1/citizens/{citizen_id}/disclosure", 200)
        err = check(server, c.get("/api/v1/citizens/demo-05/sheet",
                                  params={"include": "wishes[0]"}), "GET", path, 409)
        assert "said no" in err["error"]["message"]
        wishes = c.get("/api/v1/citizens/demo-05").json()["wishes"]
        assert not any(w in json.dumps(err, ensure_ascii=False) for w in wishes)
        check(server, c.get("/api/v1/citizens/nobody/sheet"), "GET", path, 404)


def test_follow_along_over_the_api(server: Server) -> None:
    with server.client() as c:
        job = {"citizen_id": "demo-02", "title": "Pakkemedarbejder",
               "employer_name": "Brønderslev Pak ApS", "start_date": "2026-11-02",
               "hours_per_week": 8, "wage_form": "fleksjob", "contact_person": "værkføreren"}
        started = check(server, c.post("/api/v1/outcomes", json=job), "POST",
                        "/api/v1/outcomes", 201)
        assert started["wage_form"] == "fleksjob" and started["competitive"] is False
        assert started["contact_person"] == "værkføreren"
        check(server, c.post("/api/v1/outcomes", json={**job, "wage_form": "fleksjob",
                                                       "competitive": True}),
              "POST", "/api/v1/outcomes", 422)
        jid = started["id"]
        hours = "/api/v1/outcomes/{job_id}/hours"
        check(server, c.post(f"/api/v1/outcomes/{jid}/hours",
                             json={"hours_per_week": 12, "from_date": "2026-11-09"}),
              "POST", hours, 201)
        up = check(server, c.post(f"/api/v1/outcomes/{jid}/hours",
                                  json={"hours_per_week": 15, "from_date": "2026-11-16"}),
                   "POST", hours, 201)
        assert [h for _, h in up["timeline"]] == [8, 12, 15]
        err = check(server, c.post(f"/api/v1/outcomes/{jid}/hours",
                                   json={"hours_per_week": 15, "from_date": "2026-10-01"}),
                    "POST", hours, 422)
        assert err["error"]["field"] == "from_date"
        check(server, c.post("/api/v1/outcomes/999999/hours", json={"hours_per_week": 9}),
              "POST", hours, 404)
        plan = "/api/v1/outcomes/{job_id}/plan"
        got = check(server, c.put(f"/api/v1/outcomes/{jid}/plan", json={
            "items": [{"support": "fast makker", "who": "employer"}],
            "next_follow_up": "2026-12-01", "goal_hours": 20}), "PUT", plan, 200)
        assert got["items"] == [{"support": "fast makker", "who": "employer"}]
        check(server, c.put(f"/api/v1/outcomes/{jid}/plan", json={
            "items": [{"support": "x", "who": "the boss"}]}), "PUT", plan, 422)
        err = check(server, c.put(f"/api/v1/outcomes/{jid}/plan",
                                  json={"note": "tager antidepressiva"}), "PUT", plan, 422)
        assert err["error"]["code"] == "personal_data_refused"
        fa = check(server, c.post("/api/v1/followalong", json={
            "citizen_id": "demo-02", "contact_date": "2026-11-12", "with_whom": "both",
            "kind": "phone", "note": "Går godt"}), "POST", "/api/v1/followalong", 201)
        assert fa["job_id"] == jid and fa["consultant"] == "sys-cons"  # the only open job
        check(server, c.post("/api/v1/followalong", json={"citizen_id": "nobody"}),
              "POST", "/api/v1/followalong", 404)
        check(server, c.post("/api/v1/followalong", json={"citizen_id": "demo-02",
                                                          "contact_date": "2030-01-01"}),
              "POST", "/api/v1/followalong", 422)
        ended = check(server, c.post(f"/api/v1/outcomes/{jid}/end",
                                     json={"end_date": "2026-11-16", "reason": "flyttede"}),
                      "POST", "/api/v1/outcomes/{job_id}/end", 200)
        assert ended["end_reason"] == "flyttede"
        ups = check(server, c.get("/api/v1/citizens/demo-02/followup"), "GET",
                    "/api/v1/citizens/{citizen_id}/followup", 200)
        mine = next(u for u in ups if u["job"]["id"] == jid)
        assert mine["plan"]["next_follow_up"] == "2026-12-01"
        assert [x["note"] for x in mine["contacts"]] == ["Går godt"]
        assert mine["job"]["end_date"] == "2026-11-16"
        check(server, c.get("/api/v1/citizens/nobody/followup"), "GET",
              "/api/v1/citizens/{citizen_id}/followup", 404)
    actions = {a["action"] for a in _store(server).list_access(citizen_id="demo-02",
                                                               consultant="sys-cons")}
    assert {"outcome", "job_hours", "support_plan", "followalong", "followup_show"} <= actions


def test_report(server: Server) -> None:
    path = "/api/v1/citizens/{citizen_id}/report"
    with server.client() as c:
        got = check(server, c.get("/api/v1/citizens/demo-06/report"), "GET", path, 200)
        assert got["title"].startswith("Statusrapport") and got["comment"] is None
        heads = [s["heading"] for s in got["sections"]]
        assert "Dine timer nu" in heads and "Din egen kommentar" in got["text"]
        end = check(server, c.post("/api/v1/citizens/demo-06/report", json={
            "kind": "end", "from": "2026-10-05", "comment": "Jeg er glad for køkkenet",
            "next_steps": ["15 timer fra januar"]}), "POST", path, 200)
        assert end["title"].startswith("Slutrapport") and end["period_from"] == "2026-10-05"
        assert end["comment"] == "Jeg er glad for køkkenet"
        assert "15 timer fra januar" in end["text"]
        err = check(server, c.post("/api/v1/citizens/demo-06/report",
                                   json={"comment": "ny medicin mod depression"}),
                    "POST", path, 422)
        assert err["error"]["code"] == "personal_data_refused"
        check(server, c.get("/api/v1/citizens/demo-06/report", params={"kind": "weekly"}),
              "GET", path, 400)
        check(server, c.get("/api/v1/citizens/demo-06/report",
                            params={"from": "2026-12-01", "to": "2026-11-01"}), "GET", path, 400)
        check(server, c.get("/api/v1/citizens/nobody/report"), "GET", path, 404)
    assert any(a["action"] == "report" and a["consultant"] == "sys-cons"
               for a in _store(server).list_access(citizen_id="demo-06"))


def test_funder_export_needs_the_leader_role(server: Server) -> None:
    import csv
    import io

    from ipsmatch.ips.funder import COLUMNS

    path = "/api/v1/funder-export"
    params = {"from": "2026-10", "to": "2026-11"}
    with server.client("cons") as c:
        err = check(server, c.get(path, params=params), "GET", path, 403)
        assert "leader" in err["error"]["message"]
    for who in ("lead", "adm"):
        with server.client(who) as c:
            r = c.get(path, params=params)
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
            assert "text/csv" in server.doc["paths"][path]["get"]["responses"]["200"]["content"]
            rows = list(csv.DictReader(io.StringIO(r.text)))
            assert list(rows[0]) == list(COLUMNS)
            assert {x["month"] for x in rows} <= {"2026-10", "2026-11"}
            assert any(x["citizen_id"] == "demo-06" and x["counts"] == "1" for x in rows)
            check(server, c.get(path, params={"from": "2026-13"}), "GET", path, 400)
            check(server, c.get(path), "GET", path, 400)
    assert any(a["consultant"] == "sys-lead"
               for a in _store(server).list_access(action="funder_export"))


# --- security -------------------------------------------------------------------------------

def _api_routes(srv: Server) -> list[tuple[str, str]]:
    """(method, path) of every /api/ route of the app, read from the app's route tree
    (FastAPI >= 0.16x keeps included routers nested; their effective routes are walked)."""
    from ipsmatch.config import Settings
    from ipsmatch.web.app import create_app

    def walk(routes: list[Any]) -> Iterator[Any]:
        for r in routes:
            if hasattr(r, "effective_candidates"):
                yield from walk(r.effective_candidates())
            else:
                yield r

    app = create_app(Settings.load(db=srv.db))
    try:
        out = []
        for r in walk(list(app.routes)):
            methods = getattr(getattr(r, "original_route", r), "methods", None) or ()
            if r.path.startswith("/api/"):
                out += [(m, r.path) for m in sorted(methods) if m != "HEAD"]
        return out
    finally:
        app.state.web.close()


def test_every_api_route_needs_a_valid_token(server: Server) -> None:
    routes = _api_routes(server)
    assert len(routes) >= 18 and ("GET", "/api/v1/openapi.json") in routes
    store = _store(server)
    from ipsmatch.web.tokens import create_token, revoke_token

    revoked, _ = create_token(store.engine, f"gone-{uuid.uuid4().hex[:6]}", "admin")
    revoke_token(store.engine, _.name)
    for method, path in routes:
        url = path.replace("{citizen_id}", "demo-01").replace("{job_id}", "1")
        for headers in ({}, {"Authorization": "Bearer ipsm_not-a-token"},
                        {"Authorization": f"Bearer {revoked}"},
                        {"Authorization": "Basic dXNlcjpwdw=="}):
            r = httpx.request(method, server.base + url, headers=headers, json={}, timeout=10)
            assert r.status_code == 401, (method, path, headers, r.text)
            assert r.json()["error"]["code"] == "unauthorized"
            assert r.headers["www-authenticate"] == "Bearer"


def test_the_rate_limit_holds_across_workers(server: Server) -> None:
    """A second service on the same database, limited to 6 requests per token and minute:
    the 7th is 429 with Retry-After, whichever worker answers; other tokens are not hit."""
    env = {**server.env, "IPSMATCH_API_RATE": "6"}
    store = _store(server)
    from ipsmatch.web.tokens import create_token

    token, _ = create_token(store.engine, f"rate-{uuid.uuid4().hex[:6]}", "consultant")
    other, _ = create_token(store.engine, f"rate-{uuid.uuid4().hex[:6]}", "consultant")
    with serving(env, server.workers, server.tmp) as base:
        if time.time() % 60 > 50:  # keep the seven requests inside one calendar minute
            time.sleep(61 - time.time() % 60)
        codes, last = [], None
        for _ in range(7):  # a new connection each time, so the workers share them
            last = httpx.get(base + "/api/v1/index/status", timeout=30,
                             headers={"Authorization": f"Bearer {token}"})
            codes.append(last.status_code)
        ok = httpx.get(base + "/api/v1/index/status", timeout=30,
                       headers={"Authorization": f"Bearer {other}"})
    assert codes == [200] * 6 + [429]
    assert last is not None and last.json()["error"]["code"] == "rate_limited"
    assert 0 < int(last.headers["retry-after"]) <= 60
    assert ok.status_code == 200


def test_openapi_document_is_valid_and_covers_every_route(server: Server) -> None:
    from openapi_spec_validator import validate

    validate(server.doc)
    documented = {(m.upper(), p) for p, ops in server.doc["paths"].items() for m in ops}
    routes = set(_api_routes(server)) - {("GET", "/api/v1/openapi.json")}
    assert routes == documented
    assert all(p.startswith("/api/v1/") for p in server.doc["paths"])  # no pages in it


# --- fresh data while the service runs ------------------------------------------------------

NEW_AD = {"@context": "https://schema.org", "@type": "JobPosting",
          "title": "Zebrapasser i dyreparken",
          "description": "<p>Vi søger en zebrapasser, 15 timer om ugen i dagtimerne.</p>",
          "identifier": {"@type": "PropertyValue", "name": "refresh-test", "value": "Z1"},
          "datePosted": "2026-11-15", "validThrough": "2026-12-15",
          "workHours": "15 timer",
          "hiringOrganization": {"@type": "Organization", "name": "Aalborg Zoo Test"},
          "jobLocation": {"@type": "Place", "address": {
              "@type": "PostalAddress", "postalCode": "9000", "addressLocality": "Aalborg",
              "addressCountry": "DK"}},
          "url": "https://job.example.dk/annonce/Z1"}


def test_a_refresh_under_load_fails_no_request_and_the_new_ads_appear(
        server: Server, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from ipsmatch.refresh import refresh

    stop = threading.Event()
    results: list[tuple[str, int]] = []
    errors: list[str] = []

    def load(i: int) -> None:
        with server.client() as c:
            while not stop.is_set():
                try:
                    if i % 2:
                        r = c.get("/api/v1/citizens/demo-01/suggest", params={"limit": 5})
                    else:
                        r = c.post("/api/v1/search", json={"text": "lager", "limit": 5})
                    results.append((r.request.url.path, r.status_code))
                except httpx.HTTPError as exc:
                    errors.append(repr(exc))

    threads = [threading.Thread(target=load, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    try:
        time.sleep(1.5)
        feed = tmp_path / "new.jsonl"
        feed.write_text(json.dumps(NEW_AD, ensure_ascii=False) + "\n", encoding="utf-8")
        before = len(results)
        rep = refresh(_store(server), [str(feed)], now=datetime(2026, 11, 16, 12, tzinfo=UTC))
        assert rep.added == 1
        seen = 0
        deadline = time.monotonic() + 90
        with server.client() as c:
            # every worker must swap: ask until several answers in a row have the new ad
            while seen < 4 * server.workers and time.monotonic() < deadline:
                r = c.post("/api/v1/search", json={"text": "zebrapasser", "limit": 3})
                results.append(("/api/v1/search?zebra", r.status_code))
                titles = [v["title"] for v in r.json()["vacancies"]] if r.is_success else []
                seen = seen + 1 if NEW_AD["title"] in titles else 0
                time.sleep(0.2)
        assert seen >= 4 * server.workers, "the new ad did not appear in every worker"
        time.sleep(1.0)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert errors == []
    assert len(results) - before > 20  # requests ran during the refresh and the swap
    assert {code for _, code in results} == {200}


def test_an_address_no_endpoint_serves_gets_the_apis_error_shape(server: Server) -> None:
    with server.client() as c:
        r = c.get("/api/v1/nothing-here")
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "not_found"
        assert r.json()["error"]["message"] == "there is no endpoint GET /api/v1/nothing-here"
        r = c.delete("/api/v1/citizens", headers={"Accept-Language": "da"})
        assert r.status_code == 405 and "allow" in {k.lower() for k in r.headers}
        assert r.json()["error"] == {
            "code": "method_not_allowed",
            "message": "der er intet endepunkt DELETE /api/v1/citizens",
            "hint": "se endepunkterne i /api/v1/openapi.json (og docs/web.md)", "field": None}
