"""Issue #14, privacy: health details in free text, `citizen forget` (who, a blocked WAL
checkpoint, linked contacts' outcome text), CSV formula injection and owner-only files."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import stat
from datetime import date, timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import insert_vacancies, run_cli, vacancy

from ipsmatch.domain import Employer
from ipsmatch.errors import PrivacyError, StoreError
from ipsmatch.store import Store

TODAY = date.today()
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()


def _seed(url: str, title: str = "Lagerjob", employer: str = "Lager A/S") -> Store:
    s = Store.open(url, create=True).init()
    s.save_citizen("B-1", {"id": "B-1", "home_postcode": "9000"}, "AB",
                   TODAY - timedelta(days=40))
    insert_vacancies(s, [vacancy(source="jobnet", external_id="7", title=title, postcode="9000",
                                 employer=Employer(employer, cvr="12345678"))])
    return s


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ipsmatch.db'}"
    _seed(url).close()
    return url


# --- health details -------------------------------------------------------------------------

HEALTHY_NOTE = "Mads er bipolar og har været indlagt"


def test_contact_note_with_health_words_is_refused_unless_forced(db: str) -> None:
    base = ["contacts", "add", "--consultant", "AB", "--cvr", "12345678", "--citizen", "B-1",
            "--date", YESTERDAY]
    r = run_cli(*base, "--note", HEALTHY_NOTE, db=db)
    assert r.exit_code == 1, r.output
    assert "bipolar" in r.output and "--force" in r.output and "Traceback" not in r.output
    store = Store.open(db)
    assert store.list_contacts() == []
    r = run_cli(*base, "--note", HEALTHY_NOTE, "--force", db=db)
    assert r.exit_code == 0, r.output
    assert [c.note for c in store.list_contacts()] == [HEALTHY_NOTE]


@pytest.mark.parametrize("option,value", [("--outcome", "kom fra psykiatrisk afdeling"),
                                          ("--next-step", "vent til medicin er justeret")])
def test_other_contact_texts_are_checked_too(db: str, option: str, value: str) -> None:
    r = run_cli("contacts", "add", "--consultant", "AB", "--cvr", "12345678", option, value,
                db=db)
    assert r.exit_code == 1, r.output


def test_wish_with_a_diagnosis_is_refused_unless_forced(db: str, tmp_path: Path) -> None:
    prof = tmp_path / "p.json"
    prof.write_text(json.dumps({"id": "B-7", "home_postcode": "9000",
                                "wishes": ["lager, har skizofreni"]}), encoding="utf-8")
    r = run_cli("citizen", "add", str(prof), db=db)
    assert r.exit_code == 1 and "skizofreni" in r.output and "wishes" in r.output, r.output
    r = run_cli("citizen", "edit", "B-1", "--set", "avoid=nattevagt,depression", db=db)
    assert r.exit_code == 1, r.output
    r = run_cli("citizen", "add", str(prof), "--force", db=db)
    assert r.exit_code == 0, r.output


def test_feedback_reason_and_job_end_reason_are_checked(db: str) -> None:
    r = run_cli("feedback", "add", "--citizen", "B-1", "--vacancy", "jobnet:7", "--verdict",
                "not_interested", "--reason", "indlagt igen", db=db)
    assert r.exit_code == 1, r.output
    r = run_cli("feedback", "add", "--citizen", "B-1", "--vacancy", "jobnet:7", "--verdict",
                "not_interested", "--reason", "indlagt igen", "--force", db=db)
    assert r.exit_code == 0, r.output
    r = run_cli("outcomes", "start", "--citizen", "B-1", "--cvr", "12345678", "--title",
                "Lagermedarbejder", "--date", YESTERDAY, db=db)
    assert r.exit_code == 0, r.output
    r = run_cli("outcomes", "end", "--citizen", "B-1", "--reason", "depression", db=db)
    assert r.exit_code == 1, r.output


def test_contact_log_import_checks_free_text(db: str, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("date,consultant,employer_cvr,employer_name,citizen_id,kind,purpose,learned,"
                 f"outcome,next_step,next_date,note\n{YESTERDAY},AB,12345678,,B-1,phone,"
                 "follow_up,,ok,,,har ADHD og tager medicin\n", encoding="utf-8")
    r = run_cli("contacts", "import", str(f), db=db)
    assert r.exit_code == 1 and "adhd" in r.output.lower(), r.output
    assert run_cli("contacts", "import", str(f), "--force", db=db).exit_code == 0


def test_library_refuses_health_words_and_allows_them_when_asked(tmp_path: Path) -> None:
    from ipsmatch.jobdev import Contact

    store = _seed(f"sqlite:///{tmp_path / 'x.db'}")
    c = Contact(TODAY - timedelta(days=1), "AB", employer_cvr="12345678", note=HEALTHY_NOTE)
    with pytest.raises(PrivacyError):
        store.add_contact(c)
    with pytest.raises(PrivacyError):
        store.save_citizen("B-2", {"id": "B-2", "wishes": ["har skizofreni"]})
    assert store.add_contact(c, allow_health=True).note == HEALTHY_NOTE


def test_vacancies_about_psychiatry_are_ordinary_ads(db: str, tmp_path: Path) -> None:
    """Health words are checked in what consultants write about citizens, not in job ads."""
    feed = tmp_path / "f.csv"
    feed.write_text("id,title,description,employer_name,postcode\n1,Psykiatrisk sygeplejerske,"
                    "Afsnit for depression og bipolar lidelse,Region Nord,9000\n",
                    encoding="utf-8")
    r = run_cli("index", "refresh", "--no-warm", "--source", "t", str(feed), db=db)
    assert r.exit_code == 0, r.output
    assert [v.title for v in Store.open(db).list_vacancies(source="t")] == \
        ["Psykiatrisk sygeplejerske"]


# --- citizen forget -------------------------------------------------------------------------

def test_forget_records_who_deleted(db: str) -> None:
    r = run_cli("citizen", "forget", "B-1", "--yes", db=db,
                env={"IPSMATCH_CONSULTANT": "dpo-karen"})
    assert r.exit_code == 0, r.output
    log = Store.open(db).list_access(action="forget")
    assert [e["consultant"] for e in log] == ["dpo-karen"]


def test_forget_removes_the_outcome_text_of_linked_contacts(db: str) -> None:
    r = run_cli("contacts", "add", "--consultant", "AB", "--cvr", "12345678", "--citizen",
                "B-1", "--date", YESTERDAY, "--outcome", "Mads fik jobbet", "--next-step",
                "ring til Mads", db=db)
    assert r.exit_code == 0, r.output
    r = run_cli("citizen", "forget", "B-1", "--yes", db=db)
    assert r.exit_code == 0, r.output
    assert "outcome" in r.output
    [c] = Store.open(db).list_contacts()
    assert (c.citizen_id, c.note, c.outcome, c.next_step) == (None, None, None, None)


def test_forget_reports_a_blocked_checkpoint_honestly(tmp_path: Path) -> None:
    path = tmp_path / "ipsmatch.db"
    store = _seed(f"sqlite:///{path}")
    store.save_citizen("B-2", {"id": "B-2", "wishes": ["zebrapasser"]}, "AB")
    store = Store.open(f"sqlite:///{path}", lock_timeout=0.2)
    reader = sqlite3.connect(path)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM citizens").fetchone()  # holds a read snapshot
        with pytest.raises(StoreError) as e:
            store.delete_citizen("B-2", consultant="dpo")
        msg = str(e.value)
        assert "-wal" in msg and "B-2" in msg and "reading" in msg
        assert "--checkpoint" in msg
    finally:
        reader.close()
    # the rows are gone; finishing the checkpoint is what the message says to do
    assert [c.id for c in store.list_citizens()] == ["B-1"]
    r = run_cli("citizen", "forget", "--checkpoint", db=f"sqlite:///{path}")
    assert r.exit_code == 0, r.output
    assert b"zebrapasser" not in b"".join(p.read_bytes() for p in tmp_path.glob("ipsmatch.db*"))


# --- CSV formula injection ------------------------------------------------------------------

EVIL = ["=HYPERLINK(\"http://x\")", "=cmd|' /C calc'!A0", "+SUM(1)", "-2+3", "@foo",
        "\tx", "\rx"]


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]


@pytest.mark.parametrize("evil", EVIL)
def test_csv_outputs_neutralise_formulas(tmp_path: Path, evil: str) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    _seed(url, title=evil, employer=f"{evil} A/S").close()
    outputs = {
        "vacancies list": run_cli("vacancies", "list", "--format", "csv", db=url),
        "employers list": run_cli("employers", "list", "--format", "csv", db=url),
        "contacts list": None, "fidelity": None,
    }
    r = run_cli("contacts", "add", "--consultant", evil, "--cvr", "12345678", "--date",
                YESTERDAY, "--outcome", evil, db=url)
    assert r.exit_code == 0, r.output
    outputs["contacts list"] = run_cli("contacts", "list", "--format", "csv", db=url)
    outputs["fidelity"] = run_cli("fidelity", "--format", "csv", db=url)
    for name, res in outputs.items():
        assert res is not None and res.exit_code == 0, (name, res and res.output)
        cells = _cells(res.output)
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], \
            (name, cells)
        if name.endswith("list") or not evil[0].isspace():  # a consultant id is stripped
            assert any(c.startswith("'") and evil.strip() in c for c in cells), (name, cells)


def test_csv_keeps_negative_numbers() -> None:
    from ipsmatch.cli.common import emit_records

    @click.command()
    def show() -> None:
        emit_records([{"a": -1.5, "b": "x"}], "csv", ["a", "b"])

    assert CliRunner().invoke(show).output.splitlines()[1] == "-1.5,x"


# --- owner-only files -----------------------------------------------------------------------

def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_fidelity_report_is_owner_only_and_not_overwritten(db: str, tmp_path: Path) -> None:
    out = tmp_path / "rapport.html"
    r = run_cli("fidelity", "--format", "html", "--out", str(out), db=db)
    assert r.exit_code == 0, r.output
    assert _mode(out) == 0o600
    before = out.read_bytes()
    r = run_cli("fidelity", "--format", "html", "--out", str(out), db=db)
    assert r.exit_code == 2 and "--force" in r.output, r.output
    assert out.read_bytes() == before
    out.chmod(0o644)
    r = run_cli("fidelity", "--format", "html", "--out", str(out), "--force", db=db)
    assert r.exit_code == 0 and _mode(out) == 0o600, r.output


def test_backup_creates_owner_only_folders(db: str, tmp_path: Path) -> None:
    dest = tmp_path / "backups" / "2026" / "ipsmatch.backup"
    r = run_cli("backup", str(dest), db=db)
    assert r.exit_code == 0, r.output
    assert _mode(dest) == 0o600
    assert _mode(dest.parent) == 0o700 and _mode(dest.parent.parent) == 0o700
