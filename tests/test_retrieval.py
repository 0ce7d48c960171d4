from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipsmatch.errors import IndexNotReadyError
from ipsmatch.retrieval import LexicalRetriever, SemanticRetriever, read_manifest
from ipsmatch.retrieval.lexical import (
    CHAR_COSINE_SHARE,
    CONTAINMENT_POWER,
    FIELDS,
    analyze,
)

DOCS = [
    ("Lagermedarbejder til pluk og pak", "Du skal plukke varer på vores lager i Aalborg."),
    ("Kok til kantine", "Madlavning i kantinekøkken, dagarbejde."),
    ("Håndlanger på byggeplads", "Byggeplads, tunge løft, tidligt fremmøde."),
    ("Butiksassistent", "Kundekontakt og kasse i butikken."),
    ("Lagerassistent", "Lagerarbejde, truckcertifikat en fordel."),
    ("Rengøringsassistent", "Rengøring af kontorer om aftenen."),
]


def reference_scores(docs, query, weights) -> np.ndarray:
    """Plain-Python TF-IDF cosine per field (+ containment for title n-grams)."""
    n = len(docs)
    feats = [analyze(t, x) for t, x in docs]
    q = analyze(query, "")
    total = sum(weights.values())
    out = np.zeros(n)
    for fld in FIELDS:
        df = Counter(term for f in feats for term in set(f[fld]))
        idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}

        def vec(terms, idf=idf):
            # unknown terms count in the norm with the highest possible idf
            c = Counter(terms)
            v = {t: (1 + math.log(k)) * idf.get(t, math.log(1 + n) + 1) for t, k in c.items()}
            norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
            return {t: x / norm for t, x in v.items() if t in idf}

        qv = vec(q[fld])
        for i, f in enumerate(feats):
            dv = vec(f[fld])
            score = sum(qv[t] * dv.get(t, 0.0) for t in qv)
            if fld == "title_char":
                contained = sum(qv[t] ** 2 for t in qv if t in dv) ** CONTAINMENT_POWER
                score = CHAR_COSINE_SHARE * score + (1 - CHAR_COSINE_SHARE) * contained
            out[i] += weights[fld] / total * score
    return out


@pytest.mark.parametrize("query", ["lagerarbejde", "kok kantine", "byggeplads", "xyz", "butik"])
def test_scores_match_reference(query: str) -> None:
    r = LexicalRetriever().fit(DOCS)
    ref = reference_scores(DOCS, query, r.field_weights)
    assert np.allclose(r.score_all(query), ref, atol=1e-5)


words = st.sampled_from(["lager", "kok", "pluk", "pak", "butik", "kantine", "byggeplads",
                         "rengøring", "aften", "lagermedarbejder", "truck"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.lists(words, min_size=1, max_size=4),
                          st.lists(words, max_size=8)), min_size=1, max_size=12),
       st.lists(words, min_size=1, max_size=3))
def test_scores_match_reference_on_random_corpora(docs, query) -> None:
    pairs = [(" ".join(t), " ".join(x)) for t, x in docs]
    q = " ".join(query)
    r = LexicalRetriever().fit(pairs)
    assert np.allclose(r.score_all(q), reference_scores(pairs, q, r.field_weights), atol=1e-5)


def test_generic_heads() -> None:
    from ipsmatch.retrieval.lexical import strip_head

    assert strip_head("lagermedarbejder") == "lager"
    assert strip_head("køkkenmedhjælper") == "køkken"
    assert strip_head("medarbejder") == "medarbejder"  # only a head: kept whole
    assert strip_head("kok") == "kok"


def test_search_ranks_compounds_and_returns_hits() -> None:
    r = LexicalRetriever().fit(DOCS)
    hits = r.search("lagerarbejde", limit=3)
    assert set(hits.ids[:2].tolist()) == {0, 4}
    assert list(hits.scores) == sorted(hits.scores, reverse=True)
    assert len(r.search("zzzz", limit=3).ids) == 0


@given(st.lists(st.sampled_from([0.0, 0.1, 0.5, 1.0]), max_size=30), st.integers(0, 12))
def test_top_hits_matches_a_sort(scores: list[float], limit: int) -> None:
    from ipsmatch.retrieval.base import top_hits

    s = np.array(scores, dtype=np.float32)
    hits = top_hits(s, limit)
    ref = sorted((i for i in range(len(s)) if s[i] > 0), key=lambda i: (-s[i], i))[:limit]
    assert hits.ids.tolist() == ref


def test_save_load_round_trip_and_manifest(tmp_path: Path) -> None:
    r = LexicalRetriever().fit(DOCS)
    r.save(tmp_path / "lex")
    m = json.loads((tmp_path / "lex" / "manifest.json").read_text())
    assert m["kind"] == "lexical" and m["rows"] == len(DOCS) and m["data_hash"] == r.data_hash_
    assert not list(tmp_path.glob("lex.*"))  # no temp dirs left behind
    r2 = LexicalRetriever.load(tmp_path / "lex", expected_hash=r.data_hash_)
    assert np.allclose(r2.score_all("kok"), r.score_all("kok"))
    # saving again replaces the index atomically
    r.save(tmp_path / "lex")
    assert read_manifest(tmp_path / "lex", kind="lexical", version=2)["rows"] == len(DOCS)


def test_lexical_index_is_memory_mapped_and_reads_version_1(tmp_path: Path) -> None:
    r = LexicalRetriever().fit(DOCS)
    r.save(tmp_path / "v2")
    loaded = LexicalRetriever.load(tmp_path / "v2")
    assert np.array_equal(loaded.score_all("lager"), r.score_all("lager"))
    data = np.load(tmp_path / "v2" / "body.data.npy", mmap_mode="r")
    assert isinstance(data, np.memmap) and len(data) == r.postings_["body"].nnz
    # An index written by version 1 (one .npz per field) is still read, not rebuilt.
    v1 = tmp_path / "v1"
    v1.mkdir()
    for fld in FIELDS:
        m = r.postings_[fld]
        np.savez(v1 / f"{fld}.npz", data=m.data, indices=m.indices, indptr=m.indptr,
                 shape=np.asarray(m.shape), idf=r.idf_[fld])
        (v1 / f"{fld}.vocab.json").write_text(
            (tmp_path / "v2" / f"{fld}.vocab.json").read_text("utf-8"), "utf-8")
    man = json.loads((tmp_path / "v2" / "manifest.json").read_text())
    (v1 / "manifest.json").write_text(json.dumps({**man, "version": 1}))
    old = LexicalRetriever.load(v1, expected_hash=r.data_hash_)
    for q in ("lager", "kok kantine", "xyz"):
        assert np.array_equal(old.score_all(q), r.score_all(q))


def test_stale_missing_and_corrupt_indexes_are_refused(tmp_path: Path) -> None:
    r = LexicalRetriever().fit(DOCS)
    r.save(tmp_path / "lex")
    with pytest.raises(IndexNotReadyError, match="stale"):
        LexicalRetriever.load(tmp_path / "lex", expected_hash="other")
    with pytest.raises(IndexNotReadyError, match="no lexical index"):
        LexicalRetriever.load(tmp_path / "nothing")
    (tmp_path / "lex" / "body.data.npy").write_bytes(b"garbage")
    with pytest.raises(IndexNotReadyError, match="corrupt"):
        LexicalRetriever.load(tmp_path / "lex")
    r.save(tmp_path / "lex")
    whole = (tmp_path / "lex" / "title_char.indices.npy").read_bytes()
    (tmp_path / "lex" / "title_char.indices.npy").write_bytes(whole[:len(whole) // 2])
    with pytest.raises(IndexNotReadyError, match="corrupt"):  # truncated: cannot be mapped
        LexicalRetriever.load(tmp_path / "lex")
    r.save(tmp_path / "lex")
    (tmp_path / "lex" / "body.idf.npy").unlink()
    with pytest.raises(IndexNotReadyError, match="corrupt"):
        LexicalRetriever.load(tmp_path / "lex")
    (tmp_path / "lex" / "manifest.json").write_text("{")
    with pytest.raises(IndexNotReadyError, match="corrupt"):
        LexicalRetriever.load(tmp_path / "lex")


def test_unfitted() -> None:
    with pytest.raises(IndexNotReadyError, match="not fitted"):
        LexicalRetriever().search("x")
    with pytest.raises(IndexNotReadyError, match="not fitted"):
        SemanticRetriever(FakeEncoder()).search("x")


class FakeEncoder:
    """Deterministic bag-of-words vectors: enough to test the retriever's plumbing."""

    name = "fake-bow-16"

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 16), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, sum(map(ord, w)) % 16] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


def test_semantic_matches_brute_force_and_round_trips(tmp_path: Path) -> None:
    enc = FakeEncoder()
    texts = [f"{t} {x}" for t, x in DOCS]
    s = SemanticRetriever(enc, batch_size=4).fit(texts)
    q = "lager pluk"
    ref = np.maximum(enc.encode(texts) @ enc.encode([q])[0], 0)
    assert np.allclose(s.score_all(q), ref)
    s.save(tmp_path / "sem")
    s2 = SemanticRetriever.load(tmp_path / "sem", enc, expected_hash=s.data_hash_)
    assert np.allclose(s2.score_all(q), ref)

    class Other(FakeEncoder):
        name = "other-model"

    with pytest.raises(IndexNotReadyError, match="other-model"):
        SemanticRetriever.load(tmp_path / "sem", Other())
    with pytest.raises(IndexNotReadyError, match="stale"):
        SemanticRetriever.load(tmp_path / "sem", enc, expected_hash="x")


def test_index_files_are_private(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The index directory and every file in it are readable by the owner only.
    import stat

    from ipsmatch.retrieval.base import write_index_dir

    target = tmp_path / "idx" / "lexical"

    def files(d):  # type: ignore[no-untyped-def]
        (d / "a.npy").write_bytes(b"x")

    write_index_dir(target, {"kind": "t"}, files)
    for p in [target, *target.iterdir()]:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode & 0o077 == 0, (p, oct(mode))


def test_lexical_fit_in_chunks_from_a_stream_is_the_same_index() -> None:
    # A million ads are fitted from a stream in chunks; the result must not depend on that.
    docs = [(t, f"{x} fælles") for t, x in DOCS * 7] + [("Lager", ""), ("Kok", "kok kok"),
                                                        ("", "")]
    whole = LexicalRetriever(max_df_min_docs=5).fit(docs)
    streamed = LexicalRetriever(max_df_min_docs=5).fit(iter(docs), chunk=4)
    assert streamed.n_docs_ == whole.n_docs_ == len(docs)
    assert streamed.data_hash_ == whole.data_hash_
    for fld in FIELDS:
        assert streamed.vocab_[fld] == whole.vocab_[fld]
        assert (streamed.postings_[fld] != whole.postings_[fld]).nnz == 0
    for q in ("lagerarbejde", "kok", "rengøring om aftenen"):
        assert np.array_equal(streamed.score_all(q), whole.score_all(q))
    # the body field drops terms in more than half the docs, counted over all chunks
    assert "fælles" not in streamed.vocab_["body"] and "pluk" in streamed.vocab_["body"]


@pytest.mark.parametrize("cache", [0, 2])
def test_lexical_title_cache_gives_the_same_index(cache: int) -> None:
    """Repeated titles are analysed once (a bounded cache); the index must not change."""
    docs = [(t, f"{x} nr {i}") for i, (t, x) in enumerate(DOCS * 5)] + [("Lager", "")]
    cached = LexicalRetriever(max_df_min_docs=5).fit(iter(docs), chunk=7)
    other = LexicalRetriever(max_df_min_docs=5).fit(iter(docs), chunk=7, title_cache=cache)
    for fld in FIELDS:
        assert list(cached.vocab_[fld]) == list(other.vocab_[fld])
        a, b = cached.postings_[fld], other.postings_[fld]
        assert a.shape == b.shape and (a != b).nnz == 0
        assert np.array_equal(cached.idf_[fld], other.idf_[fld])


def test_semantic_equal_texts_share_one_vector(tmp_path: Path) -> None:
    enc = FakeEncoder()
    calls: list[int] = []

    class Counting(FakeEncoder):
        def encode(self, texts: list[str]) -> np.ndarray:
            calls.append(len(texts))
            return super().encode(texts)

    texts = ["Lagermedarbejder", "Kok", "Lagermedarbejder", "Rengøringsassistent", "Kok", "Kok"]
    s = SemanticRetriever(Counting(), batch_size=2).fit(iter(texts))
    assert sum(calls) == 3 and s.vectors_.shape[0] == 3  # each distinct text encoded once
    q = "lager kok"
    ref = np.maximum(enc.encode(texts) @ enc.encode([q])[0], 0)
    assert np.allclose(s.score_all(q), ref)
    assert s.data_hash_ == SemanticRetriever(enc).fit(texts).data_hash_
    s.save(tmp_path / "sem")
    back = SemanticRetriever.load(tmp_path / "sem", Counting())
    assert np.allclose(back.score_all(q), ref)
    np.save(tmp_path / "sem" / "inverse.npy", np.array([0, 1, 7, 2, 1, 1], dtype=np.int32))
    with pytest.raises(IndexNotReadyError, match="corrupt"):
        SemanticRetriever.load(tmp_path / "sem", enc)
