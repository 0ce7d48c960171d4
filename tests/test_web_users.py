"""`ipsmatch users` (through the real CLI entry point: exit codes and messages), the user and
session library, the caseload clock and the offline map drawing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import click
import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from ipsmatch.cli import main
from ipsmatch.store import Store


@click.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def entry(args: tuple[str, ...]) -> None:
    main(list(args))


def run(db: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(entry, ["--db", db, *args], input=stdin)


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ipsmatch.db'}"
    Store.open(url, create=True).init().close()
    return url


def test_users_add_list_disable(db: str) -> None:
    r = run(db, "users", "add", "kons-anna", "--role", "consultant", stdin="a long password\n")
    assert r.exit_code == 0 and "Added user kons-anna (consultant)." in r.output
    r = run(db, "users", "list", "--format", "json")
    rows = json.loads(r.output)
    assert [(u["name"], u["role"], u["active"]) for u in rows] == [("kons-anna", "consultant",
                                                                    True)]
    with Store.open(db) as s, s.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2id$") and "a long password" not in stored
    r = run(db, "users", "disable", "kons-anna")
    assert r.exit_code == 0 and "sessions are ended" in r.output
    assert json.loads(run(db, "users", "list", "--format", "json").output)[0]["active"] is False


def test_users_errors_are_one_line_with_exit_codes(db: str) -> None:
    run(db, "users", "add", "kons-bo", "--role", "leader", stdin="a long password\n")
    r = run(db, "users", "add", "kons-bo", "--role", "leader", stdin="a long password\n")
    assert r.exit_code == 2 and "user kons-bo exists already" in r.output
    r = run(db, "users", "add", "Kons Bo!", "--role", "leader", stdin="a long password\n")
    assert r.exit_code == 2 and "not a valid user name" in r.output
    r = run(db, "users", "add", "kons-cd", "--role", "chef", stdin="a long password\n")
    assert r.exit_code == 2
    r = run(db, "users", "add", "kons-cd", "--role", "consultant", stdin="short\n")
    assert r.exit_code == 1 and "too short" in r.output
    r = run(db, "users", "disable", "nobody")
    assert r.exit_code == 2 and "no user nobody" in r.output
    assert "Traceback" not in r.output


def test_authenticate_and_sessions(db: str) -> None:
    from ipsmatch.web.users import (
        MAX_FAILURES,
        LoginRefused,
        add_user,
        authenticate,
        create_session,
        end_session,
        get_session,
        set_password,
    )

    with Store.open(db) as s:
        e = s.engine
        add_user(e, "kons-anna", "consultant", "a long password")
        assert authenticate(e, "kons-anna", "a long password").role == "consultant"
        with pytest.raises(LoginRefused):
            authenticate(e, "nobody", "a long password")
        token = create_session(e, authenticate(e, "kons-anna", "a long password"))
        sess = get_session(e, token)
        assert sess is not None and sess.principal.name == "kons-anna"
        assert sess.principal.kind == "user" and not sess.principal.is_leader
        with e.connect() as conn:  # only the hash of the cookie is stored
            ids = [r[0] for r in conn.execute(sa.text("SELECT id_hash FROM web_sessions"))]
        assert token not in ids and len(ids[0]) == 64
        set_password(e, "kons-anna", "another long one")  # ends the sessions
        assert get_session(e, token) is None
        token = create_session(e, authenticate(e, "kons-anna", "another long one"))
        end_session(e, token)
        assert get_session(e, token) is None
        t = datetime(2026, 11, 16, 9, tzinfo=UTC)
        for i in range(MAX_FAILURES):
            with pytest.raises(LoginRefused) as exc:
                authenticate(e, "kons-anna", "wrong", now=t + timedelta(minutes=i))
            assert not exc.value.locked
        with pytest.raises(LoginRefused) as exc:
            authenticate(e, "KONS-ANNA ", "another long one", now=t + timedelta(minutes=6))
        assert exc.value.locked  # the name as typed, case and spaces aside
        later = t + timedelta(minutes=30)
        assert authenticate(e, "kons-anna", "another long one", now=later).name == "kons-anna"


def test_roles() -> None:
    from ipsmatch.errors import UsageError
    from ipsmatch.web.auth import Forbidden, Principal, check_role, require_role

    lead = Principal("leder", "leader", "token")
    assert lead.has_role("consultant") and lead.has_role("leader") and not lead.is_admin
    with pytest.raises(Forbidden):
        require_role(Principal("kons", "consultant"), "leader")
    with pytest.raises(UsageError):
        check_role("chef")


def test_caseload_clock() -> None:
    from ipsmatch.jobdev import Contact
    from ipsmatch.jobdev.caseload import caseload
    from ipsmatch.store.people import CitizenRecord

    today = date(2026, 11, 16)
    now = datetime(2026, 11, 1, tzinfo=UTC)

    def cit(cid: str, start: date | None, active: bool = True) -> CitizenRecord:
        return CitizenRecord(cid, {"id": cid}, "kons-a", start, now, now, active)

    cits = [cit("on-time", date(2026, 11, 1)), cit("late", date(2026, 9, 1)),
            cit("overdue", date(2026, 10, 1)), cit("pending", date(2026, 11, 10)),
            cit("no-start", None), cit("left", date(2026, 1, 1), active=False)]
    contacts = [Contact(date(2026, 11, 5), "kons-a", employer_name="A", citizen_id="on-time"),
                Contact(date(2026, 10, 20), "kons-a", employer_name="A", citizen_id="late"),
                Contact(date(2026, 11, 12), "kons-a", employer_name="A", citizen_id="pending",
                        kind="phone")]  # a phone call is not the first (face-to-face) contact
    rows = {r.id: r for r in caseload(cits, contacts, today=today)}
    assert rows["on-time"].first_contact_status == "on_time"
    assert rows["on-time"].first_contact_days == 4
    assert rows["late"].first_contact_status == "late"
    assert rows["overdue"].first_contact_status == "overdue" and rows["overdue"].days == 46
    assert rows["pending"].first_contact_status == "pending"
    assert rows["pending"].days_left == 24
    assert rows["no-start"].first_contact_status is None and rows["no-start"].days is None
    assert [r.id for r in caseload(cits, contacts, today=today)][-1] == "left"


def test_map_svg_is_offline_and_escaped() -> None:
    from ipsmatch.web.mapsvg import Marker, render_map

    home = (57.05, 9.92)
    svg = render_map(home, [Marker(57.06, 9.93, "1", "<script>x</script>", "ad"),
                            Marker(57.06, 9.93, "A", "B&B ApS", "employer")],
                     reach_km=8.0, title="Kort <demo>")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "B&amp;B ApS" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # no tiles, no links
    assert svg.count('class="marker marker-') == 3  # two markers and the home
    assert 'class="reach"' in svg and svg.count('class="land"') >= 1
    assert "<line" in svg  # the second marker on the same spot was moved aside


def test_is_loopback() -> None:
    from ipsmatch.cli.web import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_serve_warns_off_loopback_before_anything_else(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    r = CliRunner().invoke(entry, ["--db", str(missing), "serve", "--host", "0.0.0.0"])
    assert "Warning: listening on 0.0.0.0" in r.output and "TLS" in r.output
    assert r.exit_code == 1 and "database not initialised" in r.output  # nothing was bound


def test_interested_is_a_status_verdict_not_a_hiding_one() -> None:
    from ipsmatch.domain import Vacancy
    from ipsmatch.jobdev import Feedback
    from ipsmatch.jobdev.feedback import feedback_effects, feedback_reason

    fb = Feedback(citizen_id="c-1", verdict="interested", date=date(2026, 11, 12),
                  consultant="kons-anna", vacancy=("jobnet", "7")).validate(
                      today=date(2026, 11, 16))
    fx = feedback_effects([fb])
    v = Vacancy(source="jobnet", external_id="7", title="Lagerjob")
    assert not fx.is_hidden(v) and fx.status(v) == fb
    r = feedback_reason(fb)
    assert r.code == "feedback.interested" and r.text_da == "Interesseret 12/11 (kons-anna)"


def test_serve_refuses_several_workers_on_sqlite(db: str) -> None:
    r = run(db, "serve", "--workers", "2")
    assert r.exit_code == 2 and "SQLite has one writer" in r.output
    assert "Traceback" not in r.output
