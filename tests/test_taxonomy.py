"""Taxonomy bundle, lexical signals, fusion (on a tiny taxonomy) and the real matcher."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import vacancy
from hypothesis import given
from hypothesis import strategies as st

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
    import ipsmatch.text.embed as emb

    monkeypatch.setattr(emb, "e5_available", lambda: False)
    with pytest.warns(UserWarning, match="no semantic model"):  # issue #14: said once
        m = OccupationMatcher.load(model_dir=tmp_path, semantic="auto")
    assert not m.semantic_enabled and m.semantic_backend == "off"
    assert m.match("Rengøringsassistent", limit=1)[0].uri == CLEANER


def test_semantic_on_without_model_names_the_extra(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import ipsmatch.text.embed as emb

    monkeypatch.setattr(emb, "e5_available", lambda: False)
    with pytest.raises(ModelUnavailableError) as err:
        OccupationMatcher.load(model_dir=tmp_path, semantic="on")
    # issue #14: the model files are what is missing, not the extra
    assert "static-da-e5" in str(err.value) and "models/" in str(err.value)
    assert "[semantic]" not in str(err.value)


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


# --- title structure: heads, qualifiers, composite titles ----------------------------------

def test_head_is_last_compound_word_before_a_qualifier() -> None:
    from ipsmatch.taxonomy.lexical import analyze
    from ipsmatch.taxonomy.structure import head

    assert head(analyze("lagerarbejder på en lædervarefabrik")) == head(analyze("lagerarbejder"))
    assert head(analyze("tekniker inden for fysisk videnskab")) == head(analyze("tekniker"))
    # "IT-udvikler" is glued into one compound, whose head is its tail
    assert head(analyze("IT-udvikler")).endswith(head(analyze("udvikler")))
    assert head("") == ""


def test_head_match_rewards_same_head_and_hyponym_compounds() -> None:
    from ipsmatch.taxonomy.lexical import analyze
    from ipsmatch.taxonomy.structure import head, head_match

    q = head(analyze("Truckfører"))
    assert head_match(q, head(analyze("truckførere"))) == 1.0
    assert head_match(q, head(analyze("gaffeltruckfører"))) == 0.8
    assert head_match(q, head(analyze("chauffør - flyttebil"))) == 0.0
    # a short head does not match inside arbitrary compounds
    assert head_match("kok", "kagekok") == 0.0


def test_extra_words_count_what_the_query_did_not_ask_for() -> None:
    from ipsmatch.taxonomy.lexical import analyze
    from ipsmatch.taxonomy.structure import content_words, extra_words

    q = content_words(analyze("Lager- og logistikmedarbejder"))
    assert extra_words(q, analyze("lagerarbejder")) == 0
    assert extra_words(q, analyze("lagerarbejder på en lædervarefabrik")) == 1
    assert extra_words(content_words(analyze("lektor i fysik")), analyze("lektor i fysik")) == 0


def test_segments_of_composite_titles() -> None:
    from ipsmatch.taxonomy.structure import segments

    assert segments("Programmør og systemudvikler") == ["programmoer", "systemudvikler"]
    assert segments("Lager- og logistikmedarbejder") == ["lagermedarbejder",
                                                         "logistikmedarbejder"]
    assert segments("Adjunkt, fysik") == ["adjunkt i fysik"]
    assert segments("Adjunkt, fysik", comma=False) == []
    assert segments("Rengøringsassistent") == []


@given(st.lists(st.sampled_from(["lager", "truckfører", "pædagog", "assistent", "kok", "it"]),
                min_size=1, max_size=4))
def test_simple_titles_have_no_segments(words: list[str]) -> None:
    from ipsmatch.taxonomy.structure import segments

    assert segments(" ".join(words)) == []


# --- the Jobnet sample's occupation names, per backend --------------------------------------

def _backends() -> list[str]:
    from ipsmatch.text.embed import e5_available

    return ["static", "e5"] if e5_available() else ["static"]


@pytest.fixture(scope="module", params=_backends())
def backend_matcher(request: pytest.FixtureRequest) -> OccupationMatcher:
    m = OccupationMatcher.load(semantic="on", backend=request.param)
    assert m.semantic_backend == request.param
    return m


def test_jobnet_truckfoerer_is_a_truck_driver(backend_matcher: OccupationMatcher) -> None:
    top = backend_matcher.match("Truckfører", limit=1, kind="occupation")[0]
    assert "truckfører" in top.label, top


def test_jobnet_warehouse_is_the_generic_concept(backend_matcher: OccupationMatcher) -> None:
    top = backend_matcher.match("Lager- og logistikmedarbejder", limit=1, kind="occupation")[0]
    assert top.label.startswith("lager") and "fabrik" not in top.label, top
    assert top.uri == WAREHOUSE


def test_jobnet_cleaner(backend_matcher: OccupationMatcher) -> None:
    top = backend_matcher.match("Rengøringsassistent", limit=1, kind="occupation")[0]
    assert top.label == "rengøringsassistent"


def test_jobnet_coordinated_title(backend_matcher: OccupationMatcher) -> None:
    labels = [x.label for x in backend_matcher.match("Programmør og systemudvikler", limit=3,
                                                     kind="occupation")]
    assert any("udvikler" in x or "programmør" in x for x in labels), labels


@pytest.mark.parametrize(("query", "label", "expected"), [
    ("lager", "lagerchef", True),
    ("butik", "butiksleder", True),
    ("køkken", "køkkenchef", True),
    ("værksted", "leder af serviceværksted", True),
    ("lager", "lagerarbejder", False),
    ("lagerchef", "lagerchef", False),          # a manager asked for
    ("butiksleder", "butikschef", False),       # ditto
    ("studie", "studievejleder", False),        # a counsellor leads no one
    ("skoleinspektør", "skoleleder", False),    # not the query's own word made a manager
])
def test_adds_manager(query: str, label: str, expected: bool) -> None:
    from ipsmatch.taxonomy.lexical import analyze
    from ipsmatch.taxonomy.structure import adds_manager

    assert adds_manager(analyze(query), analyze(label)) is expected


@pytest.mark.parametrize(("wish", "worker"), [("lager", "lagerarbejder"),
                                                ("butik", "butiksassistent")])
def test_a_field_wish_means_the_work_not_running_it(backend_matcher: OccupationMatcher,
                                                    wish: str, worker: str) -> None:
    top = backend_matcher.match(wish, limit=1, kind="occupation")[0]
    assert top.label == worker, top
    # naming the manager still finds the manager
    mgr = backend_matcher.match(f"{wish}chef", limit=1, kind="occupation")[0]
    assert mgr.label.startswith(wish) and "chef" in mgr.label, mgr


def test_backend_defaults_differ_only_where_measured() -> None:
    assert FusionParams.for_backend("e5").w_extra == 0.0
    assert FusionParams.for_backend("static").w_extra > 0
    assert FusionParams.for_backend("off") == FusionParams()


# --- persistent match cache and the ingest resolver -----------------------------------------

class _CountingMatcher:
    """Wraps a matcher and counts the texts it is asked to match."""

    def __init__(self, inner: OccupationMatcher) -> None:
        self.inner = inner
        self.taxonomy = inner.taxonomy
        self.params = inner.params
        self.semantic_backend = inner.semantic_backend
        self.seen: list[str] = []

    def concept(self, uri: str) -> Concept | None:
        return self.inner.concept(uri)

    def match_batch(self, texts: list[str], **kw: object) -> list[list[object]]:
        self.seen += list(texts)
        return self.inner.match_batch(texts, **kw)


def test_match_cache_roundtrip_is_private_and_versioned(tmp_path: Path) -> None:
    import stat

    from ipsmatch.domain import OccupationMatch
    from ipsmatch.taxonomy.cache import MatchCache

    path = tmp_path / "c" / "m.sqlite"
    c = MatchCache(path, "v1")
    m = OccupationMatch(uri=CLEANER, label="rengøringsassistent", score=0.9)
    c.put_many([("Rengøringsassistent", [m]), ("støj", [])])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert c.get_many(["Rengøringsassistent", "støj", "ny"]) == {"Rengøringsassistent": [m],
                                                                  "støj": []}
    assert len(c) == 2
    assert MatchCache(path, "v2").get_many(["Rengøringsassistent"]) == {}


def test_resolver_matches_each_text_once_across_refreshes(lexical: OccupationMatcher,
                                                          tmp_path: Path) -> None:
    from ipsmatch.taxonomy.attach import OccupationResolver
    from ipsmatch.taxonomy.cache import MatchCache, matcher_version

    cache = MatchCache(tmp_path / "m.sqlite", matcher_version(lexical))
    first = _CountingMatcher(lexical)
    vs = [vacancy(title="Rengøringsassistent"), vacancy(title="Rengøringsassistent"),
          vacancy(title="Vi søger", occupation_hint="Truckfører")]
    OccupationResolver(first, cache=cache)(vs)
    assert sorted(first.seen) == ["Rengøringsassistent", "Truckfører"]
    assert vs[0].occupation_uri == CLEANER and vs[1].occupation_uri == CLEANER
    assert vs[2].occupation_label and "truckfører" in vs[2].occupation_label
    again = _CountingMatcher(lexical)
    vs2 = [vacancy(title="Rengøringsassistent"), vacancy(title="Lagermedarbejder")]
    OccupationResolver(again, cache=cache)(vs2)
    assert again.seen == ["Lagermedarbejder"]
    assert vs2[0].occupation_uri == CLEANER and vs2[0].occupation_confidence


def test_matcher_version_changes_with_backend(lexical: OccupationMatcher) -> None:
    from ipsmatch.taxonomy.cache import matcher_version

    static = OccupationMatcher.load(semantic="on", backend="static")
    assert matcher_version(lexical) != matcher_version(static)
    assert matcher_version(lexical) == matcher_version(lexical)


# --- "<role>, <field>" titles, academic ranks, title variants ------------------------------

def test_role_and_field_split() -> None:
    from ipsmatch.taxonomy.structure import role_and_field

    assert role_and_field("Operatør, fødevarer") == ("Operatør", "fødevarer")
    assert role_and_field("Sikkerhedsmedarbejder, vagt, sikkerhed og overvågning,") == (
        "Sikkerhedsmedarbejder", "vagt, sikkerhed og overvågning")
    assert role_and_field("Truckfører") is None
    assert role_and_field(", fysik") is None
    assert role_and_field("Adjunkt,") is None


@pytest.mark.parametrize("text", ["Senior forsker", "ph.d.", "Associate professor", "Postdoc",
                                  "Ekstern lektor", "Forsker/Adjunkt", "Ph.d.-studerende",
                                  "Adjunkt"])
def test_academic_ranks_are_recognised(text: str) -> None:
    from ipsmatch.taxonomy.structure import is_academic_post, role_variants

    assert is_academic_post(text)
    assert "lektor" in role_variants(text)


@pytest.mark.parametrize("text", ["Forskningschef", "Lektor i fysik", "Sygeplejerske",
                                  "Senior konsulent", "assistent", ""])
def test_other_titles_are_not_academic_ranks(text: str) -> None:
    from ipsmatch.taxonomy.structure import is_academic_post

    assert not is_academic_post(text)


def test_title_variants() -> None:
    from ipsmatch.taxonomy.structure import title_variants

    assert title_variants("Procesoperatørelev") == ["Procesoperatør"]
    assert title_variants("Murerlærling") == ["Murer"]
    assert title_variants("Steward / stewardesse") == ["Steward", "stewardesse"]
    assert title_variants("Forsker/Adjunkt, humaniora") == ["Forsker, humaniora",
                                                            "Adjunkt, humaniora"]
    assert title_variants("Postdoc") == ["lektor"]
    for plain in ("Truckfører", "Lektor", "elev", "Tømrer A/S", "Salg 24/7"):
        assert title_variants(plain) == [], plain


@given(st.lists(st.sampled_from(["lager", "medarbejder", "Truckfører", "i", "Horsens",
                                 "rengøring", "assistent"]), min_size=1, max_size=4))
def test_variants_never_repeat_the_text(words: list[str]) -> None:
    from ipsmatch.taxonomy.structure import title_variants

    text = " ".join(words)
    vs = title_variants(text)
    assert text not in vs and len(vs) == len({v.casefold() for v in vs})


def test_esco_hierarchy_gives_families(lexical: OccupationMatcher) -> None:
    tax = lexical.taxonomy
    lektor = next(i for i, c in enumerate(tax.concepts) if c.label == "lektor")
    kids = {tax.concepts[i].label for i in lexical.descendants_[lektor]}
    assert {"lektor i fysik", "lektor i historie"} <= kids
    assert "lektor" not in kids
    group = next(i for i, c in enumerate(tax.concepts) if c.kind == "isco" and c.code == "2310")
    assert lektor in lexical.descendants_[group]


@pytest.mark.parametrize("text, label", [
    ("Forsker, fysik", "lektor i fysik"),
    ("Professor, historie", "lektor i historie"),
    ("Forsker/Adjunkt, filosofi", "lektor i filosofi"),
    ("Postdoc, kemi", "lektor i kemi"),
])
def test_academic_role_field_titles_find_the_field_lecturer(
        lexical: OccupationMatcher, matcher: OccupationMatcher, text: str, label: str) -> None:
    for m in (lexical, matcher):
        top = [x.label for x in m.match(text, limit=3, kind="occupation")]
        assert top[0] == label, (m.semantic_backend, top)


def test_family_boost_can_be_switched_off(lexical: OccupationMatcher,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    with monkeypatch.context() as mp:
        mp.setattr(lexical, "params",
                   dataclasses.replace(lexical.params, w_family=0.0, w_variant=0.0))
        off = lexical.scores(["Forsker, fysik"])[0]
    on = lexical.scores(["Forsker, fysik"])[0]
    fysik = next(i for i, c in enumerate(lexical.taxonomy.concepts)
                 if c.label == "lektor i fysik")
    assert on[fysik] > off[fysik]
    assert on.min() >= 0.0 and on.max() <= 1.0


@pytest.mark.parametrize("text, label", [("Tømrerlærling", "tømrer"), ("Frisørelev", "frisør")])
def test_apprentice_title_finds_the_trade(lexical: OccupationMatcher, text: str,
                                          label: str) -> None:
    top = lexical.match(text, limit=1, kind="occupation")[0]
    assert top.label == label, top


def test_query_vectors_are_cached_per_encoder() -> None:
    calls: list[list[str]] = []

    class Counting:
        dim = 8

        def encode(self, texts: list[str]) -> np.ndarray:
            calls.append(list(texts))
            out = np.array([[hash((t, i)) % 97 for i in range(self.dim)] for t in texts],
                           dtype=np.float32) + 1.0
            return out / np.linalg.norm(out, axis=1, keepdims=True)

    m = OccupationMatcher(load_taxonomy())
    m.attach_encoder(Counting(), Counting().encode(m.labels_.texts), "static")
    calls.clear()
    first = m.match("Forsker, fysik", limit=5)
    again = m.match("Forsker, fysik", limit=5)
    assert first == again
    assert len(calls) == 1 and "fysik" in calls[0]  # the field is encoded in the same pass
    m.encoder_ = Counting()
    m.match("Forsker, fysik", limit=5)
    assert len(calls) == 2  # a new encoder starts with an empty cache
