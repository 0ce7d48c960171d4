"""Taxonomy bundle, lexical signals, fusion (on a tiny taxonomy) and the real matcher."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ipsmatch.errors import ModelUnavailableError
from ipsmatch.taxonomy import FusionParams, OccupationMatcher, load_taxonomy
from ipsmatch.taxonomy.concepts import Concept, Taxonomy
from ipsmatch.taxonomy.fusion import fuse, label_prior, rescale_sem
from ipsmatch.taxonomy.lexical import CharTfidf, LabelTable, max_per_concept

OCC = "http://data.europa.eu/esco/occupation/"
TRUCK = OCC + "eeac6251-1974-42f5-91ed-513c6c883755"       # gaffeltruckfører
WAREHOUSE = OCC + "bea705fe-06ac-4147-b8e0-6e8ac1208d8f"   # lagerarbejder
CLEANER = OCC + "303a1e34-cb16-4054-b323-81e5eec17397"     # rengøringsassistent
SOSU = OCC + "1391bdf9-bd61-4fb5-91ca-c29036ab2b60"        # social- og sundhedshjælper
# medarbejder i en børnepasningsordning; børnehavepædagog (alt label: pædagogmedhjælper)
CHILDCARE = {OCC + "3f74aad8-2d60-4be2-b059-8dba5568d530",
             OCC + "55d60ead-0343-4008-b9e4-fb4b5a179c83"}


@pytest.fixture(scope="session")
def matcher() -> OccupationMatcher:
    return OccupationMatcher.load()


@pytest.fixture(scope="session")
def lexical() -> OccupationMatcher:
    return OccupationMatcher.load(semantic="off")


# --- bundle ---------------------------------------------------------------------------------

def test_bundle_has_all_occupations_and_isco_groups() -> None:
    tax = load_taxonomy()
    kinds = [c.kind for c in tax.concepts]
    assert kinds.count("occupation") == 2942
    assert kinds.count("isco") == 619
    c = tax.get(WAREHOUSE)
    assert c is not None and c.label == "lagerarbejder" and c.label_en == "warehouse worker"
    assert "lagermedarbejder" in c.alt_da and c.isco == "9333"
    g = tax.get("http://data.europa.eu/esco/isco/C9333")
    assert g is not None and g.kind == "isco" and g.label


# --- lexical --------------------------------------------------------------------------------

def test_char_tfidf_equals_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ["lagermedarbejder", "a", "ab cd", "rengoeringsassistent i kommunen", "hjaelper x"]
    queries = ["lager", "hjaelper hjaelper", "zz", ""]
    ours = CharTfidf((2, 4)).fit(docs).score(queries)
    ref = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True,
                          lowercase=False).fit(docs)
    expected = (ref.transform(queries) @ ref.transform(docs).T).toarray()
    np.testing.assert_allclose(ours, expected, atol=1e-5)


def test_max_per_concept_reduces_label_rows() -> None:
    table = LabelTable.build([[("a", "da", True)], [("b", "da", True), ("c", "en", False)]])
    assert table.starts.tolist() == [0, 1]
    scores = np.array([[0.2, 0.1, 0.9], [0.5, 0.4, 0.3]], dtype=np.float32)
    np.testing.assert_allclose(max_per_concept(scores, table.starts), [[0.2, 0.9], [0.5, 0.4]])


# --- fusion on a tiny taxonomy --------------------------------------------------------------

def test_fusion_is_a_convex_combination_in_unit_range() -> None:
    p = FusionParams(w_sem=0.6, w_exact=0.5, w_fuzzy=0.0, isco_weight=0.5)
    lex = np.array([[1.0, 0.2, 1.0]], dtype=np.float32)
    sem = np.array([[1.0, 0.9, 1.0]], dtype=np.float32)
    exact = np.array([[1.0, 0.0, 1.0]], dtype=np.float32)
    is_isco = np.array([False, False, True])
    out = fuse(lex, sem, exact, None, is_isco, p)
    assert out[0, 0] == pytest.approx(1.0)
    assert out[0, 1] == pytest.approx((0.4 * 0.2 + 0.6 * 0.9) / 1.5)
    assert out[0, 2] == pytest.approx(0.5)  # ISCO group discounted
    # without a semantic signal, lexical carries the whole weight
    assert fuse(lex, None, exact, None, is_isco, p)[0, 1] == pytest.approx(0.2 / 1.5)


def test_label_prior_and_semantic_rescaling() -> None:
    p = FusionParams(alt_weight=0.8, en_weight=0.9)
    prior = label_prior(np.array([True, False, True]), np.array([0, 0, 1]), p)
    assert prior.tolist() == pytest.approx([1.0, 0.8, 0.9])
    assert rescale_sem(np.array([0.7, 0.8, 0.9, 1.0]), 0.8).tolist() == \
        pytest.approx([0.0, 0.0, 0.5, 1.0])


def _tiny() -> Taxonomy:
    return Taxonomy([
        Concept(OCC + "a", "occupation", "lagerarbejder", "warehouse worker",
                alt_da=("lagermedarbejder",)),
        Concept(OCC + "b", "occupation", "lagerchef", "warehouse manager"),
        Concept(OCC + "c", "occupation", "truckfører", "forklift operator",
                alt_da=("lagermedarbejder",)),
        Concept("http://data.europa.eu/esco/isco/C9333", "isco", "Lagerarbejde",
                "Freight handlers"),
    ])


def test_preferred_label_beats_shared_alt_label_on_exact_match() -> None:
    m = OccupationMatcher(_tiny())
    assert m.match("lagerarbejder", limit=2)[0].uri == OCC + "a"
    # both a and c carry the alt label; the exact alt match puts them above the manager
    top2 = {x.uri for x in m.match("Lagermedarbejdere", limit=2)}
    assert top2 == {OCC + "a", OCC + "c"}


def test_isco_groups_are_matchable_and_marked() -> None:
    m = OccupationMatcher(_tiny())
    hits = m.match("lagerarbejde", limit=4)
    kinds = {x.uri: x.kind for x in hits}
    assert kinds["http://data.europa.eu/esco/isco/C9333"] == "isco"
    assert all(0.0 <= x.score <= 1.0 for x in hits)
    assert [x.score for x in hits] == sorted((x.score for x in hits), reverse=True)


def test_match_batch_keeps_order_and_blank_gives_empty(lexical: OccupationMatcher) -> None:
    out = lexical.match_batch(["rengøringsassistent", "", "   ", "lagerarbejder"], limit=3)
    assert len(out) == 4 and out[1] == [] and out[2] == []
    assert out[0][0].uri == CLEANER and out[3][0].uri == WAREHOUSE
    assert len(out[0]) == 3


# --- fallback path --------------------------------------------------------------------------

def test_lexical_fallback_when_model_dir_is_empty(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import ipsmatch.taxonomy.matcher as mm

    monkeypatch.setattr(mm, "e5_available", lambda: False)
    m = OccupationMatcher.load(model_dir=tmp_path, semantic="auto")
    assert not m.semantic_enabled and m.semantic_backend == "off"
    assert m.match("Rengøringsassistent", limit=1)[0].uri == CLEANER


def test_semantic_on_without_model_names_the_extra(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import ipsmatch.taxonomy.matcher as mm

    monkeypatch.setattr(mm, "e5_available", lambda: False)
    with pytest.raises(ModelUnavailableError) as err:
        OccupationMatcher.load(model_dir=tmp_path, semantic="on")
    assert "ipsmatch[semantic]" in str(err.value)


# --- the real matcher on examples from Jobnet ads and citizens' wishes -----------------------

@pytest.mark.parametrize(("text", "expected", "within"), [
    ("Truckfører", {TRUCK}, 3),
    ("Lager- og logistikmedarbejder", {WAREHOUSE}, 3),
    ("Rengøringsassistent", {CLEANER}, 1),
    ("sosu hjælper", {SOSU}, 1),
    ("pædagog medhjælper", CHILDCARE, 3),
    ("Lagermedarbejdere til pakkeopgaver", {WAREHOUSE}, 3),
    ("rengørings asistent", {CLEANER}, 3),  # typo and split compound
])
def test_examples_resolve_to_sensible_occupations(matcher: OccupationMatcher, text: str,
                                                   expected: set[str], within: int) -> None:
    occs = [x.uri for x in matcher.match(text, limit=20) if x.kind == "occupation"]
    assert expected & set(occs[:within]), (text, occs[:within])


def test_matcher_is_semantic_by_default(matcher: OccupationMatcher) -> None:
    assert matcher.semantic_enabled
    assert matcher.concept(SOSU) is not None
    assert matcher.concept("nope") is None


def test_static_backend_can_be_pinned_for_bulk_work() -> None:
    m = OccupationMatcher.load(semantic="on", backend="static")
    assert m.semantic_backend == "static"
    out = m.match_batch(["Rengøringsassistent", "sosu hjælper"], limit=3)
    assert out[0][0].uri == CLEANER
    assert SOSU in {x.uri for x in out[1]}


def test_kind_filter(matcher: OccupationMatcher) -> None:
    occ = matcher.match("Truckfører", limit=5, kind="occupation")
    assert occ and all(x.kind == "occupation" for x in occ)
    assert occ[0].uri == TRUCK
    groups = matcher.match("Truckfører", limit=3, kind="isco")
    assert groups and all(x.kind == "isco" for x in groups)
    assert groups[0].uri == "http://data.europa.eu/esco/isco/C8344"
