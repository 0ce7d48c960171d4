"""Per-ad topics: the kinds of work each ad's text describes (:mod:`ipsmatch.taxonomy.topics`),
as arrays the matcher reads in one pass.

``groups_[i, k]`` indexes ``codes_`` (an ISCO-08 unit group; -1: no topic) and
``weights_[i, k]`` is its weight, for the ``MAX_TOPICS`` topics of ad ``i``; ``spans_[i, k]``
is where the words that say it are in the text (start, end, marks), so a reason quotes them
without reading the text again (:meth:`quote`). ``hashes_`` keeps
a hash of each ad's text, so a refit after a refresh tags only the texts it has not tagged
before (``previous``): a nightly 3 % change re-reads 3 % of the texts. Saved like the other
retrievers (``.npy`` + JSON manifest, no pickle, atomic, owner-only); the manifest names the
tagger's version (its rules, the wish vocabulary and the taxonomy bundle), and topics of an
older tagger are never reused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from ipsmatch.errors import IndexNotReadyError
from ipsmatch.retrieval.base import REBUILD_HINT, read_manifest, write_index_dir
from ipsmatch.taxonomy.topics import MAX_TOPICS, TopicTagger, context_at, tagger_version

KIND = "topics"
#: 2: the context span of each topic (spans.npy)
VERSION = 2


def text_hash(text: str) -> int:
    """A 63-bit hash of an ad's text (what the tagger reads)."""
    d = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(d.digest(), "little") >> 1


class TopicIndex:
    """Topics for every ad; :meth:`fit` tags, :meth:`credit` scores wished groups."""

    codes_: list[str]
    hashes_: np.ndarray
    groups_: np.ndarray
    weights_: np.ndarray
    spans_: np.ndarray
    version_: str
    data_hash_: str
    #: :func:`~ipsmatch.taxonomy.topics.default_sources_key` of the tagger that made it, if
    #: it was the default one
    sources_: str | None = None

    def __init__(self, tagger: TopicTagger | None = None) -> None:
        self.tagger = tagger

    def fit(self, docs: Iterable[tuple[str, str]], *, data_hash_: str = "",
            previous: TopicIndex | None = None, sources: str | None = None) -> TopicIndex:
        """Tag the text of ``docs`` ((title, text) per ad; the title, with the occupation
        label the store appends, is the occupation's business), reusing ``previous``'s
        topics of the same texts when it was made by the same tagger."""
        if self.tagger is None:
            from ipsmatch.taxonomy.topics import default_tagger

            self.tagger = default_tagger()
        version = tagger_version(self.tagger)
        Got = tuple[tuple[str, float, tuple[int, int, int]], ...]
        old: dict[int, Got] = {}
        if previous is not None and previous.version_ == version:
            for h, gs, ws, sp in zip(previous.hashes_.tolist(), previous.groups_.tolist(),
                                     previous.weights_.tolist(), previous.spans_.tolist(),
                                     strict=True):
                old[h] = tuple((previous.codes_[g], w, tuple(x)) for g, w, x
                               in zip(gs, ws, sp, strict=True) if g >= 0)
        codes: dict[str, int] = {}
        hashes: list[int] = []
        groups: list[list[int]] = []
        weights: list[list[float]] = []
        spans: list[list[tuple[int, int, int]]] = []
        self.tagged_ = 0
        for _title, text in docs:
            h = text_hash(text)
            got = old.get(h)
            if got is None:
                got = tuple((t.group, t.weight, t.span) for t in self.tagger.tag(text))
                old[h] = got
                self.tagged_ += 1
            pad = MAX_TOPICS - len(got)
            hashes.append(h)
            groups.append([codes.setdefault(g, len(codes)) for g, _, _ in got] + [-1] * pad)
            weights.append([w for _, w, _ in got] + [0.0] * pad)
            spans.append([x for _, _, x in got] + [(0, 0, 0)] * pad)
        self.codes_ = list(codes)
        self.hashes_ = np.array(hashes, dtype=np.int64)
        self.groups_ = np.array(groups, dtype=np.int16).reshape(-1, MAX_TOPICS)
        self.weights_ = np.array(weights, dtype=np.float16).reshape(-1, MAX_TOPICS)
        self.spans_ = np.array(spans, dtype=np.int32).reshape(-1, MAX_TOPICS, 3)
        self.version_ = version
        self.data_hash_ = data_hash_
        self.sources_ = sources
        self._index = {c: j for j, c in enumerate(self.codes_)}
        return self

    # -- scoring -----------------------------------------------------------------------------

    def credit(self, wished: dict[str, float], rows: np.ndarray | None = None) -> np.ndarray:
        """Per ad (of ``rows``): the best ``wished[group] × weight`` over its topics."""
        g = self.groups_ if rows is None else self.groups_[rows]
        w64 = self._weights64()
        w = w64 if rows is None else w64[rows]
        table = np.zeros(len(self.codes_) + 1, dtype=np.float64)  # last: no topic (-1)
        hit = False
        for code, score in wished.items():
            j = self._index.get(code)
            if j is not None and score > 0:
                table[j] = max(table[j], score)
                hit = True
        if not hit or g.size == 0:
            return np.zeros(g.shape[0], dtype=np.float64)
        each = table[g] * w
        # the best of the few topic columns, column by column: the same as .max(axis=1),
        # several times faster on a (n, MAX_TOPICS) array
        best = each[:, 0].copy()
        for k in range(1, each.shape[1]):
            np.maximum(best, each[:, k], out=best)
        return best

    def _weights64(self) -> np.ndarray:
        """``weights_`` as float64, made once (what credit multiplies with)."""
        made = getattr(self, "_w64", None)
        if made is None or made[0] is not self.weights_:  # none yet, or fitted/loaded anew
            made = self._w64 = (self.weights_, self.weights_.astype(np.float64))
        return made[1]

    def quote(self, text: str, wished: dict[str, float]) -> str | None:
        """The context of ``text``'s best topic among the ``wished`` groups (by the wish's
        score × the topic's weight), read from the stored span; None when the text is not
        in the index or describes none of them."""
        if not hasattr(self, "_by_hash"):
            self._by_hash = np.argsort(self.hashes_, kind="stable")
        h = text_hash(text)
        j = int(np.searchsorted(self.hashes_[self._by_hash], h))
        if j >= len(self._by_hash) or int(self.hashes_[self._by_hash[j]]) != h:
            return None
        i = int(self._by_hash[j])
        best = None
        for g, w, sp in zip(self.groups_[i].tolist(), self.weights_[i].tolist(),
                            self.spans_[i].tolist(), strict=True):
            s = wished.get(self.codes_[g], 0.0) * w if g >= 0 else 0.0
            if s > 0 and (best is None or s > best[0]):
                best = (s, sp)
        return context_at(text, *best[1]) if best else None

    def topics_of(self, i: int) -> list[tuple[str, float]]:
        """Ad ``i``'s (group, weight) topics."""
        return [(self.codes_[int(g)], float(w)) for g, w in zip(self.groups_[i], self.weights_[i],
                                                               strict=True) if g >= 0]

    # -- persistence -------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        manifest = {"kind": KIND, "version": VERSION, "tagger": self.version_,
                    "tagger_sources": self.sources_,
                    "codes": self.codes_, "rows": int(self.hashes_.shape[0]),
                    "data_hash": self.data_hash_}

        def write(d: Path) -> None:
            np.save(d / "hashes.npy", self.hashes_, allow_pickle=False)
            np.save(d / "groups.npy", self.groups_, allow_pickle=False)
            np.save(d / "weights.npy", self.weights_, allow_pickle=False)
            np.save(d / "spans.npy", self.spans_, allow_pickle=False)
        write_index_dir(path, manifest, write)

    @classmethod
    def load(cls, path: str | Path, *, expected_hash: str | None = None,
             tagger: TopicTagger | Callable[[], TopicTagger] | None = None,
             sources: str | None = None) -> TopicIndex:
        """The saved index; IndexNotReadyError when missing, stale (``expected_hash``),
        corrupt, or made by another tagger version than ``tagger``'s (when given). With
        ``sources`` (:func:`~ipsmatch.taxonomy.topics.default_sources_key`) equal to the
        one it was saved with, ``tagger`` may be a function, and is not called."""
        m = read_manifest(path, kind=KIND, version=VERSION, expected_hash=expected_hash)
        same_sources = sources is not None and m.get("tagger_sources") == sources
        if callable(tagger) and not isinstance(tagger, TopicTagger):
            tagger = None if same_sources else tagger()
        self = cls(tagger)
        self.sources_ = m.get("tagger_sources")
        if tagger is not None and not same_sources \
                and m.get("tagger") != tagger_version(tagger):
            raise IndexNotReadyError(f"topic index at {path} was made by another tagger",
                                     hint=REBUILD_HINT)
        try:
            self.hashes_ = np.load(Path(path) / "hashes.npy", allow_pickle=False)
            self.groups_ = np.load(Path(path) / "groups.npy", allow_pickle=False)
            self.weights_ = np.load(Path(path) / "weights.npy", allow_pickle=False)
            self.spans_ = np.load(Path(path) / "spans.npy", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise IndexNotReadyError(f"corrupt topic index at {path}: {exc}",
                                     hint=REBUILD_HINT) from None
        self.codes_ = [str(c) for c in m.get("codes", [])]
        n = m.get("rows")
        if (self.hashes_.shape != (n,) or self.groups_.shape != (n, MAX_TOPICS)
                or self.weights_.shape != (n, MAX_TOPICS)
                or self.spans_.shape != (n, MAX_TOPICS, 3)
                or (self.groups_.size and int(self.groups_.max()) >= len(self.codes_))):
            raise IndexNotReadyError(f"corrupt topic index at {path}: shapes differ",
                                     hint=REBUILD_HINT)
        self.version_ = m.get("tagger", "")
        self.data_hash_ = m["data_hash"]
        self._index = {c: j for j, c in enumerate(self.codes_)}
        return self

    @classmethod
    def load_any(cls, path: str | Path) -> TopicIndex | None:
        """The saved index whatever data it was made from (for reuse), or None."""
        try:
            return cls.load(path)
        except IndexNotReadyError:
            return None
