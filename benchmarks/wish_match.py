"""Score ``occupations match`` on everyday IPS wishes and English job titles, beside a baseline.

    PYTHONPATH=. python benchmarks/wish_match.py [--held-back] [--json OUT] [--misses N]

Sets: ``benchmarks/sets/wishes.csv`` and ``benchmarks/sets/english_titles.csv`` (hand-labelled,
see ``benchmarks/sets/README.md``), each split by a hash of the text into a dev half and a
held-back half. Without ``--held-back`` only the dev half is scored; the held-back half is for
the final report only.

Scoring: the matcher's top 10 (occupations and ISCO groups together, as the CLI returns them).
Each returned concept takes the grade of its ISCO-08 unit group (an ESCO occupation: the
group it is filed under; a unit group: itself). A broader ISCO group (major, sub-major, minor)
takes the best grade of the unit groups under it minus one: it names the line of work, less
precisely. Reported per set and half:

- **nDCG@10**, gains 3/2/1, discount ``1 / log2(rank + 1)``, the ideal being the 10 best
  graded concepts of the whole taxonomy;
- **MRR** of the first answer graded >= 2 (0 when none is in the top 10);
- the issue's own examples apart from the rest (wishes only).

Baseline in the same run: char_wb 2-4 sublinear TF-IDF over the lowercased ESCO labels of all
concepts (Danish and English, preferred and alternative, for wishes; English only for the
English titles), best label per concept, top 10.

Beside them, in the same process: the matcher with the wish vocabulary and the English-label
step turned off (``w_wish = w_english = 0``), i.e. the engine before issue #13 part 3, and the
share of each half that is literally a vocabulary phrase once the wish frame is dropped.

Also: the title benchmark's headline figure (``benchmarks/title_match.py``'s dev MRR with the
same matcher, all / hard queries, with and without the new steps) so a regression there
shows in the same run, and match latency (p50 / p95, each query with an empty query-vector
cache; both parameter sets take turns query by query).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ipsmatch.taxonomy import OccupationMatcher, load_taxonomy  # noqa: E402
from ipsmatch.taxonomy.concepts import Taxonomy  # noqa: E402
from ipsmatch.taxonomy.lexical import CharTfidf, LabelTable, max_per_concept  # noqa: E402
from ipsmatch.taxonomy.wishes import load_vocabulary, norm, strip_frame  # noqa: E402

SETS = REPO / "benchmarks" / "sets"
OUT = REPO / "benchmarks" / "results" / "wish_match.json"
TITLE_DEV = REPO.parent / "shared" / "data" / "benchmarks" / "title_match_dev.csv"
K = 10


def held_back(text: str) -> bool:
    """The fixed split of benchmarks/sets/README.md."""
    return int(hashlib.sha1(text.strip().casefold().encode()).hexdigest(), 16) % 2 == 1


def load_set(name: str, key: str) -> list[dict[str, object]]:
    rows = []
    with open(SETS / name, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            grades = {c: int(g) for c, g in (x.split(":") for x in r["grades"].split())}
            rows.append({"text": r[key], "grades": grades, "issue": r.get("issue") == "1",
                         "lang": r.get("lang", "en"), "held": held_back(r[key])})
    return rows


def concept_grades(tax: Taxonomy, grades: dict[str, int]) -> np.ndarray:
    """Grade of every concept for one query (see the module docstring)."""
    out = np.zeros(len(tax), dtype=np.int64)
    for i, c in enumerate(tax.concepts):
        if c.kind == "occupation" or len(c.code) == 4:
            out[i] = grades.get(c.isco, 0)
        else:
            under = [g for code, g in grades.items() if code.startswith(c.code)]
            out[i] = max(0, max(under, default=0) - 1)
    return out


def dcg(gains: np.ndarray) -> float:
    return float((gains / np.log2(np.arange(2, len(gains) + 2))).sum())


def score_ranking(ranked: list[int], g: np.ndarray) -> tuple[float, float]:
    """(nDCG@10, reciprocal rank of the first concept graded >= 2) for one query."""
    gains = g[ranked[:K]].astype(np.float64)
    ideal = dcg(np.sort(g)[::-1][:K].astype(np.float64))
    ndcg = dcg(gains) / ideal if ideal else 0.0
    rr = next((1.0 / (r + 1) for r, x in enumerate(gains) if x >= 2), 0.0)
    return ndcg, rr


def baseline_rankings(tax: Taxonomy, texts: list[str], english_only: bool) -> list[list[int]]:
    labels = []
    for c in tax.concepts:
        labs = [(t, lg, p) for t, lg, p in c.labels() if not english_only or lg == "en"]
        labels.append(labs or [(c.label, "da", True)])
    table = LabelTable.build(labels, analyzer=lambda ts: [t.lower() for t in ts])
    tfidf = CharTfidf((2, 4)).fit(table.analyzed)
    s = max_per_concept(tfidf.score([t.lower() for t in texts]), table.starts)
    return [list(np.argsort(-row, kind="stable")[:K]) for row in s]


def matcher_rankings(m: OccupationMatcher, texts: list[str]) -> list[list[int]]:
    by_uri = m.taxonomy.by_uri
    return [[by_uri[x.uri] for x in ms] for ms in m.match_batch(texts, limit=K)]


def summarise(rows: list[dict[str, object]], per_query: list[tuple[float, float]],
              mask: list[bool]) -> dict[str, float]:
    sel = [pq for pq, keep in zip(per_query, mask, strict=True) if keep]
    if not sel:
        return {"n": 0}
    return {"ndcg@10": round(float(np.mean([a for a, _ in sel])), 4),
            "mrr": round(float(np.mean([b for _, b in sel])), 4), "n": len(sel)}


def evaluate(tax: Taxonomy, rows: list[dict[str, object]], rankings: list[list[int]],
             include_held: bool, with_issue: bool) -> dict[str, object]:
    per_query = [score_ranking(rk, concept_grades(tax, r["grades"]))  # type: ignore[arg-type]
                 for r, rk in zip(rows, rankings, strict=True)]
    out: dict[str, object] = {}
    halves = [("dev", False)] + ([("held_back", True)] if include_held else [])
    for name, held in halves:
        in_half = [bool(r["held"]) == held for r in rows]
        out[name] = summarise(rows, per_query, in_half)
        if with_issue:
            out[name + "_issue_examples"] = summarise(
                rows, per_query, [h and bool(r["issue"]) for h, r in zip(in_half, rows,
                                                                          strict=True)])
            out[name + "_others"] = summarise(
                rows, per_query, [h and not r["issue"] for h, r in zip(in_half, rows,
                                                                      strict=True)])
    return out


def title_benchmark(m: OccupationMatcher) -> dict[str, object] | None:
    """title_match.py's dev MRR (all / hard) for this matcher, occupations only."""
    if not TITLE_DEV.exists():
        return None
    sys.path.insert(0, str(REPO / "benchmarks"))
    import title_match as tm

    occ_index = {c.uri: i for i, c in enumerate(m.taxonomy.concepts) if c.kind == "occupation"}
    queries, gold = tm.load_dev(TITLE_DEV, occ_index)
    n_occ = len(occ_index)
    scores = m.scores(queries)[:, :n_occ]
    occ = m.taxonomy.concepts[:n_occ]
    labels = [{lab.lower() for lab in (c.label, *c.alt_da)} for c in occ]
    hard = np.array([not any(q.lower() in labels[g] for g in gs)
                     for q, gs in zip(queries, gold, strict=True)])
    return tm.metrics(tm.ranks(scores, gold), hard)


def latency(m: OccupationMatcher, texts: list[str], params: dict[str, object]
            ) -> dict[str, dict[str, float]]:
    """p50/p95 per parameter set, the sets taking turns query by query (same conditions)."""
    m.match(texts[0])
    m.match("Kitchen Porter")  # English labels are built on first use: not timed
    lat: dict[str, list[float]] = {k: [] for k in params}
    for t in texts:
        for name, p in params.items():
            m.params = p  # type: ignore[assignment]
            m.clear_vector_cache()
            t0 = time.perf_counter()
            m.match(t)
            lat[name].append((time.perf_counter() - t0) * 1000)
    return {k: {"p50_ms": round(statistics.median(v), 2),
                "p95_ms": round(float(np.percentile(v, 95)), 2), "n": len(v)}
            for k, v in lat.items()}


def suggest_latency(m: OccupationMatcher, wishes: list[str], params: dict[str, object]
                    ) -> dict[str, object] | None:
    """``suggest`` p50/p95 with a first-time wish (the wish → occupation cache and the query
    vectors emptied before each call), over the demo fixtures and the Jobnet sample with
    occupations attached, per parameter set, the sets taking turns wish by wish."""
    import glob
    from datetime import timedelta

    from ipsmatch.feeds import read_feeds
    from ipsmatch.matcher import Matcher
    from ipsmatch.taxonomy.attach import OccupationResolver

    files = sorted(glob.glob(str(REPO / "fixtures" / "feeds" / "demo_*")))
    files += sorted(glob.glob(str(REPO.parent / "shared" / "data" / "jobnet_sample" / "*.json")))
    vs = list(read_feeds(files).vacancies)
    if not vs:
        return None
    m.params = params["matcher"]  # type: ignore[assignment]
    OccupationResolver(m)(vs)
    today = max(v.posted for v in vs if v.posted) + timedelta(days=1)
    sm = Matcher.from_vacancies(vs, occupation_matcher=m, today=today)
    lat: dict[str, list[float]] = {k: [] for k in params}
    for w in wishes:
        for name, p in params.items():
            m.params = p  # type: ignore[assignment]
            sm.relevance.clear_occupation_cache()
            m.clear_vector_cache()
            t0 = time.perf_counter()
            sm.suggest({"id": "c-1", "home_postcode": "9000", "wishes": [w]}, limit=10)
            lat[name].append((time.perf_counter() - t0) * 1000)
    return {"ads": len(vs), **{k: {"p50_ms": round(statistics.median(v), 2),
                                   "p95_ms": round(float(np.percentile(v, 95)), 2)}
                               for k, v in lat.items()}}


def literal_coverage(rows: list[dict[str, object]], include_held: bool) -> dict[str, float]:
    """Share of wishes whose text, once the frame is dropped, is literally a vocabulary
    phrase: how much of a half the vocabulary names outright (same author, same knowledge)."""
    keys = load_vocabulary().entries
    out = {}
    for name, held in [("dev", False)] + ([("held_back", True)] if include_held else []):
        sel = [r for r in rows if bool(r["held"]) == held]
        hit = sum(strip_frame(norm(str(r["text"]))) in keys for r in sel)
        out[name] = round(hit / len(sel), 3) if sel else 0.0
    return out


def print_misses(tax: Taxonomy, rows: list[dict[str, object]], rankings: list[list[int]],
                 include_held: bool, limit: int) -> None:
    shown = 0
    for r, rk in zip(rows, rankings, strict=True):
        if r["held"] and not include_held:
            continue
        g = concept_grades(tax, r["grades"])  # type: ignore[arg-type]
        nd, rr = score_ranking(rk, g)
        if rr == 1.0 and nd >= 0.7:
            continue
        shown += 1
        if shown > limit:
            return
        top = "; ".join(f"{tax.concepts[c].label}[{g[c]}]" for c in rk[:6])
        print(f"  {r['text']!r}: ndcg {nd:.2f} rr {rr:.2f} | {top}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--held-back", action="store_true", help="also score the held-back halves")
    ap.add_argument("--json", type=Path, default=None, help=f"write figures (e.g. {OUT})")
    ap.add_argument("--misses", type=int, default=0, help="print N weak dev queries per set")
    ap.add_argument("--semantic", default="auto", choices=["auto", "on", "off"])
    args = ap.parse_args()

    tax = load_taxonomy()
    wishes = load_set("wishes.csv", "wish")
    titles = load_set("english_titles.csv", "title")
    t0 = time.perf_counter()
    m = OccupationMatcher.load(semantic=args.semantic)
    load_s = time.perf_counter() - t0
    result: dict[str, object] = {"loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
                                 "semantic_backend": m.semantic_backend,
                                 "load_s": round(load_s, 2), "sets": {}}
    full = m.params
    plain = dataclasses.replace(full, w_wish=0.0, w_english=0.0)
    for name, rows, english_only in (("wishes", wishes, False),
                                     ("english_titles", titles, True)):
        texts = [str(r["text"]) for r in rows]
        ours = matcher_rankings(m, texts)
        m.params = plain
        before = matcher_rankings(m, texts)
        m.params = full
        base = baseline_rankings(tax, texts, english_only)
        issue = name == "wishes"
        result["sets"][name] = {  # type: ignore[index]
            "matcher": evaluate(tax, rows, ours, args.held_back, issue),
            "matcher without vocabulary and English labels":
                evaluate(tax, rows, before, args.held_back, issue),
            "baseline char tfidf": evaluate(tax, rows, base, args.held_back, issue),
            "vocabulary literal coverage": literal_coverage(rows, args.held_back),
        }
        if args.misses:
            print(f"-- weak {name} (matcher):")
            print_misses(tax, rows, ours, args.held_back, args.misses)
    result["title_match_dev"] = title_benchmark(m)
    m.params = plain
    result["title_match_dev without vocabulary and English labels"] = title_benchmark(m)
    result["latency_wishes"] = latency(m, [str(r["text"]) for r in wishes + titles],
                                       {"matcher": full, "without vocabulary and English "
                                        "labels": plain})
    result["suggest_first_time_wish"] = suggest_latency(
        m, [str(r["text"]) for r in wishes],
        {"matcher": full, "without vocabulary and English labels": plain})
    m.params = full
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")


if __name__ == "__main__":
    main()
