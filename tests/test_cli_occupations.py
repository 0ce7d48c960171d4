"""``ipsmatch occupations``: table/json output, the stdin → JSONL contract, show."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from conftest import run_cli

import ipsmatch.text.embed as emb

CLEANER = "http://data.europa.eu/esco/occupation/303a1e34-cb16-4054-b323-81e5eec17397"


def test_match_json_one_query() -> None:
    r = run_cli("occupations", "match", "Rengøringsassistent", "--limit", "3", "--format",
                "json", "--semantic", "off")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["query"] == "Rengøringsassistent"
    assert len(data["matches"]) == 3
    assert data["matches"][0]["uri"] == CLEANER
    assert set(data["matches"][0]) == {"uri", "label", "score", "kind"}


def test_match_table_words_are_one_query() -> None:
    r = run_cli("occupations", "match", "sosu", "hjælper", "-n", "2", "--semantic", "off")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].split()[:2] == ["rank", "score"]
    assert len(lines) == 2 + 2  # header, rule, two matches
    assert "social- og sundhedshjælper" in r.stdout


def test_stdin_jsonl_in_input_order_with_blank_lines() -> None:
    lines = ["Truckfører", "", "Rengøringsassistent", "lager"]
    r = run_cli("occupations", "match", "--limit", "2", "--kind", "occupation",
                input="\n".join(lines) + "\n")
    assert r.exit_code == 0, r.output
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [o["query"] for o in out] == lines
    assert out[1]["matches"] == []
    assert [len(o["matches"]) for o in out] == [2, 0, 2, 2]
    assert out[2]["matches"][0]["uri"] == CLEANER
    assert all(0 <= m["score"] <= 1 for o in out for m in o["matches"])
    assert all(m["kind"] == "occupation" for o in out for m in o["matches"])


def test_semantic_on_with_empty_model_dir_fails_with_hint(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setattr(emb, "e5_available", lambda: False)
    r = run_cli("--model-dir", str(tmp_path), "occupations", "match", "lager",
                "--semantic", "on")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: no semantic model in") and "--semantic off" in r.stderr
    assert "reinstall" in r.stderr  # issue #14: the files are missing, not the extra


def test_semantic_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                       ) -> None:
    """``--semantic`` is the IPSMATCH_SEMANTIC setting: the option wins over the variable."""
    monkeypatch.setattr(emb, "e5_available", lambda: False)
    args = ("--model-dir", str(tmp_path), "occupations", "match", "lager")
    r = run_cli(*args, env={"IPSMATCH_SEMANTIC": "on"})
    assert r.exit_code == 1 and r.stderr.startswith("Error: no semantic model in")
    r = run_cli(*args, "--semantic", "off", env={"IPSMATCH_SEMANTIC": "on"})
    assert r.exit_code == 0 and r.stderr == ""


def test_show() -> None:
    r = run_cli("occupations", "show", CLEANER, "--format", "json")
    assert r.exit_code == 0, r.output
    rec = json.loads(r.stdout)[0]
    assert rec["label"] == "rengøringsassistent" and rec["isco"] == "9112"
    r = run_cli("occupations", "show", "http://example.org/nope")
    assert r.exit_code == 2 and r.stderr.startswith("Error: ")


def test_semantic_auto_with_empty_model_dir_warns_once(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #14: an install without its model files ran lexical-only without a word."""
    from ipsmatch.taxonomy.occupations import OccupationMatcher

    monkeypatch.setattr(emb, "e5_available", lambda: False)
    r = run_cli("--model-dir", str(tmp_path), "occupations", "match", "lager")
    assert r.exit_code == 0
    assert r.stderr.count("Warning: no semantic model in") == 1, r.stderr
    assert "lexical matching only" in r.stderr and "Traceback" not in r.stderr
    with warnings.catch_warnings(record=True) as again:
        warnings.simplefilter("always")
        OccupationMatcher.load(model_dir=tmp_path)  # a second load in the same run
    assert again == []
