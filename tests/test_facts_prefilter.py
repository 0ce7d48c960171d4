"""The fact rules' literal prefilter must never change what extract_facts finds.

extract_facts skips a rule for a text when none of the rule's required words (derived from
the regex) occurs in it. That is only an optimisation: these tests compare it with running
every regex on every sentence, on real ad text and on generated text.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator

import pytest
from conftest import REPO, SHARED
from hypothesis import given, settings
from hypothesis import strategies as st
from test_facts import sentences

from ipsmatch.text import facts as F
from ipsmatch.text.facts import _required_factors, extract_facts


def _strings(obj: object) -> Iterator[str]:
    if isinstance(obj, str):
        if len(obj) > 3:
            yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def _fixture_texts() -> list[str]:
    out: list[str] = []
    for p in sorted((REPO / "fixtures").rglob("*")):
        if p.suffix == ".json":
            out += _strings(json.loads(p.read_text("utf-8-sig")))
        elif p.suffix == ".jsonl":
            for line in p.read_text("utf-8").splitlines():
                if line.strip():
                    out += _strings(json.loads(line))
        elif p.suffix == ".csv":
            with p.open(encoding="utf-8", newline="") as fh:
                for row in csv.reader(fh):
                    out += [c for c in row if len(c) > 3]
    return out


def _check(title: str, text: str) -> None:
    assert extract_facts(title, text) == extract_facts(title, text, prefilter=False), \
        (title[:60], text[:200])


@pytest.mark.parametrize("pattern, expected", [
    (r"\bkun\s+(?:dag|i\s+dagtimerne)\b", {"kun"}),
    (r"\bnat(?:te)?(?:vagt|arbejde)\w*", {"vagt", "arbejde"}),
    (r"(?<![\w])(?:[BC]E?-)?kørekort\b", {"kørekort"}),
    (r"\bfle[kx]s", {"fle"}),
    (r"\btravl(?:t|e)?\b|\bBusy\b", {"travl", "busy"}),
    (r"(?:ab)+cd", {"ab"}),  # ties go to the first
    (r"(?:abc)+d?", {"abc"}),
    (r"\w+|\bjob\b", None),  # one branch needs no literal: no filter
    (r"[abc]x?", None),
])
def test_required_factors(pattern: str, expected: set[str] | None) -> None:
    got = _required_factors(pattern)
    assert (None if got is None else set(got)) == expected
    # Sound on examples: every match holds one of the factors.
    if got is not None:
        rx = re.compile(pattern, re.IGNORECASE)
        for sample in ("kun i dagtimerne", "NATTEVAGT", "CE-kørekort", "Fleks", "TRAVLT",
                       "ababcd", "abcabc"):
            m = rx.search(sample)
            if m:
                assert any(f in m.group(0).lower() for f in got)


def test_every_rule_has_a_prefilter() -> None:
    """Not a correctness need, but the speed-up depends on it: a rule rewritten so that no
    literal can be derived should be noticed."""
    assert [k for k, _, _, f in F._COMPILED if f is None] == []


def test_prefilter_skips_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    class Spy:
        def __init__(self, rx: re.Pattern[str]) -> None:
            self.rx = rx

        def search(self, s: str) -> re.Match[str] | None:
            calls.append(s)
            return self.rx.search(s)

    monkeypatch.setattr(F, "_COMPILED", [(k, v, Spy(rx), f) for k, v, rx, f in F._COMPILED])
    extract_facts("Lagermedarbejder", "Tunge løft. Vi er et godt team.")
    pruned = len(calls)
    calls.clear()
    extract_facts("Lagermedarbejder", "Tunge løft. Vi er et godt team.", prefilter=False)
    assert pruned < len(calls) / 4


def test_same_facts_on_fixture_ads() -> None:
    texts = _fixture_texts()
    assert len(texts) > 300
    for t in texts:
        _check("", t)
        _check(t[:80], "")


def test_same_facts_on_shared_jobnet_and_kompetencer() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared not present")
    texts = []
    for p in sorted((SHARED / "jobnet_sample").glob("*.json")):
        texts += _strings(json.loads(p.read_text("utf-8-sig")))
    texts += sentences()  # the kompetencer_da sentences, as test_facts reads them
    assert len(texts) > 500
    for t in texts:
        _check("", t)


_WORDS = [
    "ingen", "ikke", "kun", "dag", "dagvagt", "aften", "nat", "nattevagter", "om natten",
    "weekend", "weekender", "lørdag og søndag", "mandag-fredag", "skiftehold", "vagtplan",
    "tunge løft", "fysisk krævende", "stående arbejde", "kundekontakt", "højt tempo", "travlt",
    "roligt tempo", "fleksibel mødetid", "flekstid", "deltid", "nedsat tid", "rolige omgivelser",
    "faste opgaver", "rutineopgaver", "mentor", "føl", "ekstra pauser", "kørekort", "B-kørekort",
    "night shifts", "day only", "weekends off", "heavy lifting", "busy", "calm environment",
    "flexible hours", "part-time is possible", "driving licence", "er ikke et krav",
    "bange for", "lager", "medarbejder", "team", "Vi", "søger", "DU", "Nat", "KØREKORT",
    "ſkift", "Kørekort", "İngen", "µ", "–", "•", ".", ",", ";", "!", "\n", "/", "-",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40), st.lists(st.sampled_from(_WORDS),
                                                                  max_size=6))
def test_same_facts_on_generated_text(words: list[str], title: list[str]) -> None:
    _check(" ".join(title), " ".join(words))
