"""In-process NumPy search vs in-database pgvector search (exact and HNSW) on the same vectors.

    python benchmarks/bench_pgvector.py --url postgresql://user@host:5432/db --size 100000

Needs a PostgreSQL server with the pgvector extension (``CREATE EXTENSION vector`` must work).
Debian here has no pgvector package; the ``pgserver`` wheel on PyPI bundles PostgreSQL 16 with
pgvector 0.6 (see benchmarks/README.md for how to start it). Optional: nothing in ipsmatch needs
it. Vectors: the ipsmatch encoder's dimension when it is importable, else 384 (a typical small
sentence encoder); they are clustered (topics) rather than uniform, like real ad embeddings.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def stats(secs: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in secs]
    return {"p50_ms": round(pct(ms, 50), 2), "p95_ms": round(pct(ms, 95), 2),
            "mean_ms": round(statistics.fmean(ms), 2)}


def vectors(n: int, dim: int, n_queries: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors around ~n/200 topic centres, and queries near random documents."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(10, n // 200), dim), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    docs = centres[rng.integers(0, len(centres), n)] + \
        (0.8 / math.sqrt(dim)) * rng.standard_normal((n, dim), dtype=np.float32)
    docs /= np.linalg.norm(docs, axis=1, keepdims=True)
    # Noise of norm ~0.5 around a document: cosine ~0.9 to it, like a paraphrase.
    q = docs[rng.integers(0, n, n_queries)] + (0.5 / math.sqrt(dim)) * rng.standard_normal(
        (n_queries, dim), dtype=np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return docs, q


def lit(v: np.ndarray) -> str:
    return "[" + ",".join(f"{x:.6f}" for x in v) + "]"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True, help="libpq URL of a server with pgvector")
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--dim", type=int, default=0, help="default: the encoder's, else 384")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args(argv)
    import psycopg

    dim = a.dim or 384
    docs, qs = vectors(a.size, dim, a.queries)
    out: dict[str, Any] = {"size": a.size, "dim": dim, "k": a.k, "queries": a.queries}

    # In-process: the matrix in RAM, one matrix-vector product + argpartition per query.
    exact: list[np.ndarray] = []
    secs = []
    for q in qs:
        t = time.perf_counter()
        s = docs @ q
        top = np.argpartition(-s, a.k)[: a.k]
        top = top[np.argsort(-s[top])]
        secs.append(time.perf_counter() - t)
        exact.append(top)
    out["numpy"] = {**stats(secs), "matrix_mb": round(docs.nbytes / 2**20, 1)}

    conn = psycopg.connect(a.url, autocommit=True)
    conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
    out["pgvector_version"] = conn.execute(
        "SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()[0]
    conn.execute("DROP TABLE IF EXISTS bench_vec")
    conn.execute(f"CREATE TABLE bench_vec (id integer PRIMARY KEY, embedding vector({dim}))")
    t = time.perf_counter()
    with conn.cursor() as cur, cur.copy("COPY bench_vec (id, embedding) FROM STDIN") as cp:
        for i, v in enumerate(docs):
            cp.write_row((i, lit(v)))
    out["load_s"] = round(time.perf_counter() - t, 1)
    conn.execute("ANALYZE bench_vec")

    # Loading the vectors back into a process (what an in-process matcher pays at start).
    t = time.perf_counter()
    rows = conn.execute("SELECT embedding::text FROM bench_vec ORDER BY id").fetchall()
    back = np.array([np.fromstring(r[0][1:-1], sep=",", dtype=np.float32) for r in rows])
    out["numpy"]["load_from_db_s"] = round(time.perf_counter() - t, 1)
    assert back.shape == docs.shape

    def run(label: str) -> dict[str, Any]:
        secs, recall = [], []
        for q, ex in zip(qs, exact, strict=True):
            t = time.perf_counter()
            ids = [r[0] for r in conn.execute(
                "SELECT id FROM bench_vec ORDER BY embedding <=> %s::vector LIMIT %s",
                (lit(q), a.k)).fetchall()]
            secs.append(time.perf_counter() - t)
            recall.append(len(set(ids) & set(ex.tolist())) / a.k)
        r = {**stats(secs), f"recall_at_{a.k}": round(statistics.fmean(recall), 3)}
        print(label, r, file=sys.stderr)
        return r

    out["pgvector_exact"] = run("exact")
    conn.execute("SET max_parallel_maintenance_workers = 1")
    t = time.perf_counter()
    conn.execute("CREATE INDEX bench_vec_hnsw ON bench_vec USING hnsw "
                 "(embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)")
    out["hnsw_build_s"] = round(time.perf_counter() - t, 1)
    for ef in (40, 100):
        conn.execute(f"SET hnsw.ef_search = {ef}")
        out[f"pgvector_hnsw_ef{ef}"] = run(f"hnsw ef={ef}")
    out["table_mb"] = round(conn.execute(
        "SELECT pg_table_size('bench_vec')").fetchone()[0] / 2**20, 1)
    out["hnsw_index_mb"] = round(conn.execute(
        "SELECT pg_relation_size('bench_vec_hnsw')").fetchone()[0] / 2**20, 1)
    conn.execute("DROP TABLE bench_vec")
    conn.close()
    print(json.dumps(out, indent=1))
    if a.out:
        a.out.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
