"""``ipsmatch occupations``: table/json output, the stdin → JSONL contract, show."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ipsmatch.cli import cli

CLEANER = "http://data.europa.eu/esco/occupation/303a1e34-cb16-4054-b323-81e5eec17397"


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_match_json_one_query(runner: CliRunner) -> None:
    r = runner.invoke(cli, ["occupations", "match", "Rengøringsassistent", "--limit", "3",
                            "--format", "json", "--semantic", "off"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["query"] == "Rengøringsassistent"
    assert len(data["matches"]) == 3
    assert data["matches"][0]["uri"] == CLEANER
    assert set(data["matches"][0]) == {"uri", "label", "score", "kind"}


def test_match_table_words_are_one_query(runner: CliRunner) -> None:
    r = runner.invoke(cli, ["occupations", "match", "sosu", "hjælper", "-n", "2",
                            "--semantic", "off"])
    assert r.exit_code == 0, r.output
    assert "social- og sundhedshjælper" in r.output
    assert r.output.splitlines()[0].split()[:2] == ["rank", "score"]


def test_stdin_jsonl_in_input_order_with_blank_lines(runner: CliRunner) -> None:
    lines = ["Truckfører", "", "Rengøringsassistent", "lager"]
    r = runner.invoke(cli, ["occupations", "match", "--limit", "2", "--kind", "occupation"],
                      input="\n".join(lines) + "\n")
    assert r.exit_code == 0, r.output
    out = [json.loads(x) for x in r.output.splitlines()]
    assert [o["query"] for o in out] == lines
    assert out[1]["matches"] == []
    assert all(len(o["matches"]) == 2 for o in out if o["query"])
    assert out[2]["matches"][0]["uri"] == CLEANER
    assert all(0 <= m["score"] <= 1 for o in out for m in o["matches"])
    assert all(m["kind"] == "occupation" for o in out for m in o["matches"])


def test_semantic_on_with_empty_model_dir_fails_with_hint(tmp_path, monkeypatch, capsys
                                                          ) -> None:
    import ipsmatch.text.embed as emb
    from ipsmatch.cli import main

    monkeypatch.setattr(emb, "e5_available", lambda: False)
    with pytest.raises(SystemExit) as exc:
        main(["--model-dir", str(tmp_path), "occupations", "match", "lager",
              "--semantic", "on"])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: no semantic model in") and "--semantic off" in err
    assert "reinstall" in err  # issue #14: the files are missing, not the extra


def test_show(runner: CliRunner) -> None:
    r = runner.invoke(cli, ["occupations", "show", CLEANER, "--format", "json"])
    assert r.exit_code == 0, r.output
    rec = json.loads(r.output)[0]
    assert rec["label"] == "rengøringsassistent" and rec["isco"] == "9112"
    r = runner.invoke(cli, ["occupations", "show", "http://example.org/nope"])
    assert r.exit_code != 0


def test_semantic_auto_with_empty_model_dir_warns_once(tmp_path, monkeypatch, capsys) -> None:
    """Issue #14: an install without its model files ran lexical-only without a word."""
    import ipsmatch.text.embed as emb
    from ipsmatch.cli import main
    from ipsmatch.taxonomy.occupations import OccupationMatcher

    monkeypatch.setattr(emb, "e5_available", lambda: False)
    main(["--model-dir", str(tmp_path), "occupations", "match", "lager"])
    OccupationMatcher.load(model_dir=tmp_path)  # a second load in the same run: no repeat
    err = capsys.readouterr().err
    assert err.count("Warning: no semantic model in") == 1, err
    assert "lexical matching only" in err and "Traceback" not in err
