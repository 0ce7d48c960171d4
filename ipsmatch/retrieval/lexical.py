"""Lexical retrieval: TF-IDF over three fields, fused as a weighted sum of cosines.

Fields (each its own sublinear TF-IDF matrix with L2-normalised rows):

- ``title_char``: character 3–5-grams of title words (generic heads such as "-medarbejder"
  stripped first). Danish compounds ("lagerarbejde",
  "lagermedarbejder") share n-grams even when they share no word. Scored as a blend of cosine
  and containment (how much of the query's n-gram weight the title holds), so a long title
  that contains the wished word is not punished for its length.
- ``title_word``: title words and word bigrams.
- ``body``: words of the title and the text (stop words removed; very common terms dropped).

The matrices are kept transposed (term → docs, an inverted index), so a query touches only
the posting lists of its own terms. Stored as ``.npy`` arrays (memory-mapped at load, so
opening a million-ad index reads only what queries touch) plus a JSON vocabulary and the
manifest; no pickle. Version 1 indexes (``.npz``) are still read.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from ipsmatch.errors import IndexNotReadyError
from ipsmatch.retrieval.base import (
    REBUILD_HINT,
    Hits,
    read_manifest,
    top_hits,
    write_index_dir,
)
from ipsmatch.text.normalize import fold_for_search

KIND = "lexical"
VERSION = 2  # 2: one .npy per array (memory-mapped); 1: .npz per field
FIELDS = ("title_char", "title_word", "body")
#: title_char score = share × cosine + (1 − share) × query containment
CHAR_COSINE_SHARE = 0.5
CONTAINMENT_POWER = 2

# A word list reads better as text than as a list literal.
STOP_WORDS = frozenset("""
og i at er en et den det de til af på for med som har der kan vi du man ikke os jer sig
om eller men så fra hos ved vil skal være blev bliver også samt din dit dine vores jeres
deres hans hendes mv mm fx bl a eks the and of to in for with on at is are be an as or
our your we you will by from this that it
arbejde job jobbet stilling stillingen work
""".split())  # noqa: SIM905

_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Runs of two or more word characters: the same tokens as _WORD_RE minus one-letter ones.
_WORD2_RE = re.compile(r"\w{2,}", re.UNICODE)




def words(text: str) -> list[str]:
    """Lowercased word tokens without stop words and one-letter tokens."""
    return [w for w in _WORD2_RE.findall(fold_for_search(text)) if w not in STOP_WORDS
            and not w.isdigit()]


#: Generic compound heads stripped before taking character n-grams, so "Kontormedarbejder"
#: does not look like the wish "lagerarbejde" just because both end in "-arbejde(r)".
GENERIC_HEADS = ("medarbejdere", "medarbejder", "arbejdere", "arbejder", "arbejde",
                 "assistenter", "assistent", "medhjælpere", "medhjælper", "hjælpere", "hjælper")


def strip_head(word: str) -> str:
    """'lagermedarbejder' → 'lager'; a word that is only a head is kept whole."""
    if word in GENERIC_HEADS:
        return word
    for head in GENERIC_HEADS:
        if word.endswith(head) and len(word) - len(head) >= 3:
            return word[: -len(head)]
    return word


def char_ngrams(ws: Sequence[str], lo: int = 3, hi: int = 5) -> list[str]:
    out: list[str] = []
    for w in ws:
        padded = f" {strip_head(w)} "
        for n in range(lo, hi + 1):
            out.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return out


def title_features(tw: list[str]) -> tuple[list[str], list[str]]:
    """The ``title_char`` and ``title_word`` features of a title's words."""
    return char_ngrams(tw), tw + [f"{a} {b}" for a, b in itertools.pairwise(tw)]


def analyze(title: str, text: str) -> dict[str, list[str]]:
    """Features per field for one document (or query: title=text=query)."""
    tw = words(title)
    chars, tws = title_features(tw)
    return {"title_char": chars, "title_word": tws, "body": tw + words(text)}


def _term_counts(feats: list[str], voc: dict[str, int]) -> tuple[list[int], list[int]]:
    """(term ids, counts) of one document's features; new terms get the next ids."""
    counts = Counter(feats)
    sd = voc.setdefault
    return [sd(term, len(voc)) for term in counts], list(counts.values())


class LexicalRetriever:
    """TF-IDF retriever (see module doc). ``fit(docs)`` takes ``(title, text)`` pairs or strings.

        >>> r = LexicalRetriever().fit([("Lagermedarbejder", "pluk og pak"), ("Kok", "køkken")])
        >>> int(r.search("lagerarbejde", limit=1).ids[0])
        0
    """

    def __init__(self, *, field_weights: dict[str, float] | None = None,
                 max_df: float = 0.5, max_df_min_docs: int = 50) -> None:
        self.field_weights = field_weights or {"title_char": 0.4, "title_word": 0.3,
                                               "body": 0.3}
        self.max_df = max_df
        self.max_df_min_docs = max_df_min_docs

    # -- fitting -------------------------------------------------------------------------

    def fit(self, docs: Iterable[tuple[str, str] | str], *, data_hash_: str | None = None,
            chunk: int = 10_000, title_cache: int = 50_000) -> LexicalRetriever:
        """Fit on ``docs`` (any iterable, read once, in chunks: only the term counts are
        kept, never the analysed text of a million ads).

        The two title fields depend on the title alone, and ads repeat titles (97k synthetic
        ads have 14k distinct ones): up to ``title_cache`` distinct titles keep their term
        ids and counts, so a repeated title is analysed once. The index is the same either
        way (``title_cache=0`` turns it off; tested)."""
        vocab: dict[str, dict[str, int]] = {fld: {} for fld in FIELDS}
        coo: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = \
            {fld: [] for fld in FIELDS}
        titles: dict[str, tuple[list[str], tuple[list[int], list[int]],
                                tuple[list[int], list[int]]]] = {}
        hasher = hashlib.sha256()
        n = 0
        it = iter(docs)
        while batch := list(itertools.islice(it, chunk)):
            pairs = [(d, "") if isinstance(d, str) else (d[0] or "", d[1] or "") for d in batch]
            if data_hash_ is None:
                for t, x in pairs:  # the same text as retrieval.base.data_hash
                    hasher.update(f"{t}\x1f{x}".encode("utf-8", "surrogatepass") + b"\x1e")
            # Per field, in document order (so term ids are numbered as on a single pass):
            # the documents' term ids and counts, flat, and how many each document has.
            flat: dict[str, tuple[list[int], list[int], list[int]]] = \
                {fld: ([], [], []) for fld in FIELDS}

            def add(fld: str, ids_vals: tuple[list[int], list[int]],
                    flat: dict[str, tuple[list[int], list[int], list[int]]] = flat) -> None:
                ids, vals, lens = flat[fld]
                ids.extend(ids_vals[0])
                vals.extend(ids_vals[1])
                lens.append(len(ids_vals[0]))

            for t, x in pairs:
                hit = titles.get(t)
                if hit is None:  # as analyze(t, x), the title fields once per title
                    tw = words(t)
                    chars, tws = title_features(tw)
                    hit = (tw, _term_counts(chars, vocab["title_char"]),
                           _term_counts(tws, vocab["title_word"]))
                    if len(titles) < title_cache:
                        titles[t] = hit
                tw, tc, tword = hit
                add("title_char", tc)
                add("title_word", tword)
                add("body", _term_counts(tw + words(x), vocab["body"]))
            for fld in FIELDS:
                ids, vals, lens = flat.pop(fld)
                rows = np.repeat(np.arange(n, n + len(lens), dtype=np.int32),
                                 np.asarray(lens, dtype=np.int64))
                coo[fld].append((rows, np.asarray(ids, dtype=np.int32),
                                 np.asarray(vals, dtype=np.int32)))
            n += len(pairs)
        self.vocab_: dict[str, dict[str, int]] = {}
        self.idf_: dict[str, np.ndarray] = {}
        self.postings_: dict[str, sparse.csr_matrix] = {}
        for fld in FIELDS:
            parts = coo.pop(fld)
            r = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int32)
            c = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int32)
            v = np.concatenate([p[2] for p in parts]).astype(np.float64) if parts \
                else np.zeros(0, np.float64)
            del parts
            voc = vocab.pop(fld)
            df = np.bincount(c, minlength=len(voc)) if len(voc) else np.zeros(0, np.int64)
            keep = np.ones(len(voc), dtype=bool)
            if fld == "body" and n >= self.max_df_min_docs:
                keep = df <= self.max_df * n
            remap = (np.cumsum(keep) - 1).astype(np.int32)
            terms = [t for t, k in zip(voc, keep, strict=True) if k]
            del voc
            if not keep.all():
                sel = keep[c]
                r, c, v = r[sel], c[sel], v[sel]
            c = remap[c]
            idf = np.log((1 + n) / (1 + df[keep])) + 1.0
            data = (1.0 + np.log(v)) * idf[c]
            del v
            m = sparse.csr_matrix((data, (r, c)), shape=(n, len(terms)), dtype=np.float64)
            del r, c, data
            norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
            norms[norms == 0] = 1.0
            m = sparse.diags(1.0 / norms) @ m
            self.vocab_[fld] = {t: j for j, t in enumerate(terms)}
            self.idf_[fld] = idf.astype(np.float32)
            self.postings_[fld] = m.T.tocsr().astype(np.float32)
            del m
        self.n_docs_ = n
        self.data_hash_ = data_hash_ or hasher.hexdigest()[:32]
        return self

    def _check(self) -> None:
        if not hasattr(self, "postings_"):
            raise IndexNotReadyError("LexicalRetriever is not fitted", hint="call fit(docs) first")

    # -- querying ------------------------------------------------------------------------

    def _query_vec(self, fld: str, feats: list[str]) -> tuple[np.ndarray, np.ndarray]:
        vocab = self.vocab_[fld]
        all_counts = Counter(feats)
        counts = {f: c for f, c in all_counts.items() if f in vocab}
        if not counts:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        idx = np.fromiter((vocab[f] for f in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        w = (1.0 + np.log(tf)) * self.idf_[fld][idx]
        # Terms no document has still belong to the query: they count in its norm with the
        # highest idf, else "pædagog" would shrink to its one known n-gram "og " and match
        # "Hydrolog" perfectly.
        oov = np.array([c for f, c in all_counts.items() if f not in vocab], dtype=np.float64)
        oov_w = (1.0 + np.log(oov)) * (np.log(1.0 + self.n_docs_) + 1.0)
        norm = np.sqrt(np.sum(w * w) + np.sum(oov_w * oov_w))
        w /= norm or 1.0
        return idx, w.astype(np.float32)

    def score_all(self, query: str) -> np.ndarray:
        """Cosine-blend score of ``query`` against every document (float32, length n_docs)."""
        self._check()
        feats = analyze(query, "")
        out = np.zeros(self.n_docs_, dtype=np.float32)
        total = sum(self.field_weights.values()) or 1.0
        for fld in FIELDS:
            idx, w = self._query_vec(fld, feats[fld])
            if idx.size == 0:
                continue
            rows = self.postings_[fld][idx]
            score = np.asarray(rows.T @ w).ravel()
            if fld == "title_char":
                # Cosine punishes long titles ("Lagermedarbejder til pluk og pak" vs "lager");
                # containment (share of the query's n-gram weight found in the title) does not.
                # The blend keeps exact titles on top and compounds close behind.
                contained = np.asarray((rows > 0).T.astype(np.float32) @ (w * w)).ravel()
                # Squared, so a shared ending ("mager"/"lager" share "ager") counts little and
                # the whole query word inside a compound ("fjernlager") counts a lot.
                contained **= CONTAINMENT_POWER
                score = CHAR_COSINE_SHARE * score + (1 - CHAR_COSINE_SHARE) * contained
            out += (self.field_weights[fld] / total) * score
        return out

    def search(self, query: str, *, limit: int = 10) -> Hits:
        return top_hits(self.score_all(query), limit)

    # -- persistence ---------------------------------------------------------------------

    @property
    def params(self) -> dict[str, Any]:
        return {"field_weights": self.field_weights, "max_df": self.max_df,
                "max_df_min_docs": self.max_df_min_docs, "analyzer": "words+char3-5 v3"}

    def save(self, path: str | Path) -> None:
        self._check()
        manifest = {"kind": KIND, "version": VERSION, "params": self.params, "model": None,
                    "rows": self.n_docs_, "data_hash": self.data_hash_}

        def write(d: Path) -> None:
            for fld in FIELDS:
                m = self.postings_[fld]
                arrays = {"data": m.data, "indices": m.indices, "indptr": m.indptr,
                          "shape": np.asarray(m.shape, dtype=np.int64), "idf": self.idf_[fld]}
                for name, a in arrays.items():
                    np.save(d / f"{fld}.{name}.npy", np.ascontiguousarray(a),
                            allow_pickle=False)
                terms = sorted(self.vocab_[fld], key=self.vocab_[fld].__getitem__)
                (d / f"{fld}.vocab.json").write_text(json.dumps(terms, ensure_ascii=False),
                                                     encoding="utf-8")
        write_index_dir(path, manifest, write)

    @classmethod
    def load(cls, path: str | Path, *, expected_hash: str | None = None) -> LexicalRetriever:
        """Load a saved index; IndexNotReadyError if it is missing, corrupt or stale."""
        m = read_manifest(path, kind=KIND, version=(1, VERSION), expected_hash=expected_hash)
        p = m["params"]
        self = cls(field_weights=p["field_weights"], max_df=p["max_df"],
                   max_df_min_docs=p["max_df_min_docs"])
        self.vocab_, self.idf_, self.postings_ = {}, {}, {}
        try:
            for fld in FIELDS:
                if m["version"] == 1:
                    with np.load(Path(path) / f"{fld}.npz", allow_pickle=False) as z:
                        arrays = {k: z[k] for k in ("data", "indices", "indptr", "shape", "idf")}
                else:
                    # Memory-mapped: the page cache holds the postings, shared between
                    # processes, and only the pages queries touch are ever read.
                    arrays = {k: np.load(Path(path) / f"{fld}.{k}.npy", allow_pickle=False,
                                         mmap_mode="r" if k in ("data", "indices") else None)
                              for k in ("data", "indices", "indptr", "shape", "idf")}
                shape = tuple(int(x) for x in arrays["shape"])
                self.postings_[fld] = sparse.csr_matrix(
                    (arrays["data"], arrays["indices"], arrays["indptr"]), shape=shape,
                    copy=False)
                self.idf_[fld] = np.asarray(arrays["idf"])
                terms = json.loads((Path(path) / f"{fld}.vocab.json").read_text("utf-8"))
                self.vocab_[fld] = {t: j for j, t in enumerate(terms)}
                if len(terms) != shape[0] or shape[1] != m["rows"]:
                    raise ValueError(f"{fld}: shape {shape} does not match the manifest")
        except (OSError, ValueError, KeyError) as exc:
            raise IndexNotReadyError(f"corrupt lexical index at {path}: {exc}",
                                     hint=REBUILD_HINT) from None
        self.n_docs_ = int(m["rows"])
        self.data_hash_ = m["data_hash"]
        return self
