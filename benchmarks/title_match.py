"""Score the occupation matcher on the Danish title → ESCO dev set, beside a plain baseline.

    PYTHONPATH=. python benchmarks/title_match.py [--dev CSV] [--json OUT] [--tune]

Concept-level ranking of ESCO *occupations* (ISCO groups are left out of the ranking here,
since the gold is occupation-level). A query's rank is that of its best-ranked gold concept
(exact or close); MRR, hit@1 and hit@10 are reported on all queries and on the "hard" ones
(the lowercased query is not literally a label of any of its gold concepts).

Baseline, run in the same process: char_wb 2-4 sublinear TF-IDF over the lowercased Danish
labels (preferred + alternative), max over a concept's labels.

Also measured: matcher load time, single-query p50 latency, batch queries/s, and encoder
throughput (static and, when installed, e5) on short texts and on ad-length texts.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ipsmatch.taxonomy import FusionParams, OccupationMatcher, load_taxonomy  # noqa: E402
from ipsmatch.taxonomy.lexical import CharTfidf, LabelTable, max_per_concept  # noqa: E402
from ipsmatch.text.embed import get_encoder  # noqa: E402

DEV = REPO.parent / "shared" / "data" / "benchmarks" / "title_match_dev.csv"
OUT = REPO / "benchmarks" / "results" / "title_match.json"


def load_dev(path: Path, uri_index: dict[str, int]) -> tuple[list[str], list[set[int]]]:
    queries, gold = [], []
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            uris = (row["gold_exact_uris"] + " " + row["gold_close_uris"]).split()
            g = {uri_index[u] for u in uris if u in uri_index}
            if g:
                queries.append(row["query_da"])
                gold.append(g)
    return queries, gold


def ranks(scores: np.ndarray, gold: list[set[int]]) -> np.ndarray:
    """1-based rank of the best gold concept per query (ties broken by concept order)."""
    out = np.empty(len(gold), dtype=np.int64)
    for i, g in enumerate(gold):
        order = np.argsort(-scores[i], kind="stable")
        hit = np.nonzero(np.isin(order, list(g)))[0]
        out[i] = hit[0] + 1 if len(hit) else 10**9
    return out


def metrics(r: np.ndarray, hard: np.ndarray) -> dict[str, float]:
    rr = 1.0 / r

    def pack(mask: np.ndarray) -> dict[str, float]:
        return {"mrr": round(float(rr[mask].mean()), 4),
                "hit@1": round(float((r[mask] == 1).mean()), 4),
                "hit@10": round(float((r[mask] <= 10).mean()), 4), "n": int(mask.sum())}

    return {"all": pack(np.ones_like(hard)), "hard": pack(hard)}


def baseline_scores(occ_labels: list[list[str]], queries: list[str]) -> np.ndarray:
    table = LabelTable.build([[(t, "da", True) for t in labs] for labs in occ_labels])
    tfidf = CharTfidf((2, 4)).fit([t.lower() for t in table.texts])
    return max_per_concept(tfidf.score([q.lower() for q in queries]), table.starts)


def timing(matcher: OccupationMatcher, queries: list[str]) -> dict[str, float]:
    matcher.match(queries[0])  # warm caches
    lat = []
    for q in queries[:200]:
        t0 = time.perf_counter()
        matcher.match(q)
        lat.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    matcher.match_batch(queries)
    batch = len(queries) / (time.perf_counter() - t0)
    return {"p50_ms": round(statistics.median(lat), 2),
            "p95_ms": round(float(np.percentile(lat, 95)), 2),
            "batch_qps": round(batch, 1)}


def encoder_throughput(kind: str, short: list[str], long: list[str]) -> dict[str, float] | None:
    enc = get_encoder(kind=kind)
    if enc is None:
        return None
    out: dict[str, float] = {"dim": enc.dim}
    for name, texts in (("short_texts_per_s", short), ("ad_texts_per_s", long)):
        t0 = time.perf_counter()
        enc.encode(texts)
        out[name] = round(len(texts) / (time.perf_counter() - t0), 1)
    return out


def ad_texts() -> list[str]:
    """Ad-length Danish texts: the Jobnet sample's presentations (HTML stripped)."""
    import re

    path = REPO.parent / "shared" / "data" / "jobnet_sample" / "JobPage01.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    return [re.sub(r"<[^>]+>", " ", p.get("Presentation") or "")
            for p in data.get("JobPositionPostings", [])]


def tune(matcher: OccupationMatcher, occ_cols: np.ndarray, queries: list[str],
         gold: list[set[int]], hard: np.ndarray) -> list[dict[str, object]]:
    """Small grid over the fusion weights; also a 2-fold check of how well they transfer."""
    grid = []
    base = matcher.params
    for w_sem in (0.5, 0.6, 0.7, 0.8):
        for alt in (0.7, 0.8, 0.9):
            for floor in (0.75, 0.8, 0.85):
                p = FusionParams(**{**base.as_dict(), "w_sem": w_sem, "alt_weight": alt,
                                    "sem_floor": floor})
                matcher.params = p
                matcher.prior_ = _prior(matcher, p)
                r = ranks(matcher.scores(queries)[:, occ_cols], gold)
                grid.append({"params": {"w_sem": w_sem, "alt_weight": alt, "sem_floor": floor},
                             "ranks": r})
    matcher.params = base
    matcher.prior_ = _prior(matcher, base)
    # 2-fold: choose on even rows, score on odd rows and vice versa.
    idx = np.arange(len(queries))
    cv = []
    for fit_mask in (idx % 2 == 0, idx % 2 == 1):
        best = max(grid, key=lambda g: float((1.0 / g["ranks"][fit_mask]).mean()))
        cv.append(float((1.0 / best["ranks"][~fit_mask]).mean()))
    rows = [{"params": g["params"], **metrics(g["ranks"], hard)} for g in grid]
    rows.sort(key=lambda x: -x["all"]["mrr"])
    print(f"2-fold held-out MRR of the grid's choice: {np.mean(cv):.4f}")
    return rows


def _prior(matcher: OccupationMatcher, p: FusionParams) -> np.ndarray:
    from ipsmatch.taxonomy.fusion import label_prior

    return label_prior(matcher.labels_.preferred, matcher.labels_.lang, p)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--json", type=Path, default=OUT)
    ap.add_argument("--tune", action="store_true", help="grid-search the fusion weights")
    args = ap.parse_args()

    tax = load_taxonomy()
    occ_cols = np.array([i for i, c in enumerate(tax.concepts) if c.kind == "occupation"])
    uri_index = {tax.concepts[c].uri: k for k, c in enumerate(occ_cols)}
    queries, gold = load_dev(args.dev, uri_index)
    occ = [tax.concepts[c] for c in occ_cols]
    hard = np.array([not any(q.lower() in {t.lower() for t, _, _ in occ[g].labels()}
                             for g in gs) for q, gs in zip(queries, gold, strict=True)])

    results: dict[str, object] = {"dev_queries": len(queries), "hard_queries": int(hard.sum()),
                                  "machine": {"python": platform.python_version(),
                                              "cpus": __import__("os").cpu_count()}}
    systems: dict[str, dict[str, object]] = {}
    t0 = time.perf_counter()
    base = baseline_scores([[t for t, lg, _ in c.labels() if lg == "da"] for c in occ], queries)
    systems["baseline tfidf char 2-4"] = {**metrics(ranks(base, gold), hard),
                                          "seconds": round(time.perf_counter() - t0, 2)}
    for mode in ("off", "static", "auto"):
        t0 = time.perf_counter()
        if mode == "static":
            m = OccupationMatcher.load(semantic="auto", backend="static")
        else:
            m = OccupationMatcher.load(semantic=mode)
        load_s = time.perf_counter() - t0
        name = f"matcher semantic={m.semantic_backend}"
        if name in systems:
            continue
        r = ranks(m.scores(queries)[:, occ_cols], gold)
        systems[name] = {**metrics(r, hard), "load_s": round(load_s, 2), **timing(m, queries)}
        if args.tune and mode == "auto":
            results["tuning_grid_top10"] = tune(m, occ_cols, queries, gold, hard)[:10]
    results["systems"] = systems
    results["params"] = FusionParams().as_dict()
    short = [c.label for c in tax.concepts][:2000]
    long = ad_texts()
    results["encoders"] = {k: encoder_throughput(k, short, long) for k in ("static", "e5")}

    print(f"{'system':34} {'MRR':>6} {'hit@1':>6} {'hit@10':>6} | {'hard MRR':>8} "
          f"{'h@1':>6} {'h@10':>6} | {'load s':>6} {'p50 ms':>6} {'batch q/s':>9}")
    for name, s in systems.items():
        a, h = s["all"], s["hard"]
        print(f"{name:34} {a['mrr']:6.3f} {a['hit@1']:6.3f} {a['hit@10']:6.3f} | "
              f"{h['mrr']:8.3f} {h['hit@1']:6.3f} {h['hit@10']:6.3f} | "
              f"{s.get('load_s', ''):>6} {s.get('p50_ms', ''):>6} {s.get('batch_qps', ''):>9}")
    print(f"queries: {len(queries)} (hard: {int(hard.sum())})")
    for k, v in results["encoders"].items():  # type: ignore[union-attr]
        print(f"encoder {k}: {v}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
