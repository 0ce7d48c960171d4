"""The matcher's label indexes: analysed labels and the char TF-IDF (both cached in the user
data dir), ESCO's code hierarchy, precomputed label vectors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ipsmatch.taxonomy.concepts import Taxonomy
from ipsmatch.taxonomy.lexical import CharTfidf, analyze

#: Bump when the analyser or the index layout changes, so stale caches are ignored.
_LEXICAL_CACHE_VERSION = "1"


def cached_analyze(texts: list[str]) -> list[str]:
    """``analyze`` over all label texts, from the user cache when done before.

    Analysing ~14,000 labels takes ~0.5-0.8 s of every cold start. The key covers the label
    texts and the source of the analyser (normalize.py, lexical.py), so a changed taxonomy
    or analyser never reuses a stale file. JSON only.
    """
    import hashlib
    import json

    from ipsmatch.config import default_data_dir, private_files
    from ipsmatch.taxonomy import lexical
    from ipsmatch.text import normalize as norm_mod

    h = hashlib.sha256()
    for mod in (norm_mod, lexical):
        h.update(Path(mod.__file__ or "").read_bytes())
    h.update("\n".join(texts).encode())
    path = default_data_dir() / "cache" / f"labels-analyzed-{h.hexdigest()[:20]}.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(cached, list) and len(cached) == len(texts):
            return [str(x) for x in cached]
    except (OSError, ValueError):
        pass
    out = [analyze(t) for t in texts]
    try:
        with private_files():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
    except OSError:
        pass  # a read-only home only costs speed
    return out


def fitted_tfidf(analyzed: list[str]) -> CharTfidf:
    """The label TF-IDF index, from the user cache when an identical one was built before.

    Fitting in pure Python takes ~0.5-1 s, most of the cold-start budget; the cache file is
    keyed by a hash of the analysed labels, so a changed taxonomy or analyser never reuses it.
    """
    import hashlib

    from ipsmatch.config import default_data_dir, private_files

    digest = hashlib.sha256("\n".join([_LEXICAL_CACHE_VERSION, *analyzed]).encode()).hexdigest()
    path = default_data_dir() / "cache" / f"labels-tfidf-{digest[:20]}.npz"
    if path.is_file():
        try:
            return CharTfidf.load(path)
        except (OSError, ValueError, KeyError):
            pass  # corrupt or foreign file: rebuild below
    tfidf = CharTfidf((2, 4)).fit(analyzed)
    try:
        with private_files():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npz")
            tfidf.save(tmp)
            tmp.replace(path)
    except OSError:
        pass  # a read-only home only costs speed
    return tfidf


def descendants(taxonomy: Taxonomy) -> dict[int, tuple[int, ...]]:
    """Concept index → indices of the occupations below it in ESCO's hierarchy.

    ESCO occupation codes extend their parent's ("2310.1" lektor → "2310.1.20" lektor i
    historie); an ISCO unit group ("2310") holds the occupations coded under it.
    """
    by_code: dict[tuple[str, str], int] = {(c.kind, c.code): i
                                           for i, c in enumerate(taxonomy.concepts)}
    out: dict[int, list[int]] = {}
    for i, c in enumerate(taxonomy.concepts):
        if c.kind != "occupation" or not c.code:
            continue
        code = c.code
        while "." in code:
            code = code.rsplit(".", 1)[0]
            j = by_code.get(("occupation", code))
            if j is None:
                j = by_code.get(("isco", code))
            if j is not None:
                out.setdefault(j, []).append(i)
    return {k: tuple(v) for k, v in out.items()}


def aligned_vectors(directory: Path, texts: Sequence[str]) -> np.ndarray:
    """Rows of the precomputed label vectors in ``texts`` order (zeros for unknown labels)."""
    labels = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
    vectors = np.load(directory / "vectors.npy", allow_pickle=False)
    index = {t: i for i, t in enumerate(labels)}
    out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
    for r, t in enumerate(texts):
        i = index.get(t)
        if i is not None:
            out[r] = vectors[i]
    return out


def unit_groups(taxonomy: Taxonomy) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """ISCO unit group code → indices of the occupations filed under it, and → its concept."""
    members: dict[str, list[int]] = {}
    concept: dict[str, int] = {}
    for i, c in enumerate(taxonomy.concepts):
        if c.kind == "occupation" and c.isco:
            members.setdefault(c.isco, []).append(i)
        elif c.kind == "isco" and len(c.code) == 4:
            concept[c.code] = i
    return {g: np.asarray(v, dtype=np.int64) for g, v in members.items()}, concept
