"""Retrieval over ad text (issue #13 part 3): the kinds of work an ad's text describes.

Labels: ``benchmarks/sets/ad_texts.json`` (34 written ads whose titles do not say the job,
the 20 real Jobnet sample ads, 52 everyday wishes; committed before the rules). Two parts:

1. **Tagger** (:mod:`ipsmatch.taxonomy.topics`): per ad, the topics it finds against the
   labelled ISCO unit groups. precision = found groups that are labelled (grade ≥ 2) / found;
   recall = grade-3 groups found / grade-3 groups. Written ads (dev / held-back halves by
   sha1 of the id) and the Jobnet ads apart.
2. **Retrieval**: ``Matcher.search(wish)`` over the demo fixtures + the Jobnet sample + the
   written ads (371 ads), with the topic signal (TOPIC_CREDIT) and without it (0, i.e. main
   before this work), in the same process: recall@10 of the written ads each wish must reach,
   MRR of the first, and "never" hits (an ad in the top 10 that names the wish's occupation
   only as a colleague or customer). Halves by sha1 of the wish.

Cost: tagging µs per ad (median of 5 passes over the Jobnet texts, ~3,400 characters each).

    python benchmarks/ad_text_match.py [--held-back] [--misses] [--json results/ad_text_match.json]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ipsmatch import relevance  # noqa: E402
from ipsmatch.config import Settings  # noqa: E402
from ipsmatch.feeds import read_feeds  # noqa: E402
from ipsmatch.matcher import Matcher  # noqa: E402
from ipsmatch.relevance import load_text_models  # noqa: E402
from ipsmatch.taxonomy.topics import TopicTagger  # noqa: E402

SET = REPO / "benchmarks" / "sets" / "ad_texts.json"
#: a second set, all held back (written after SET was scored; see its "about")
FRESH = REPO / "benchmarks" / "sets" / "ad_texts_fresh.json"
#: a third, all held back (written after FRESH was scored)
THIRD = REPO / "benchmarks" / "sets" / "ad_texts_third.json"
#: a fourth, all held back (written blind by a helper session after THIRD was scored)
FOURTH = REPO / "benchmarks" / "sets" / "ad_texts_fourth.json"
SHARED = REPO.parent / "shared" / "data"
FIXTURES = REPO / "fixtures" / "feeds"
TODAY = date(2021, 7, 10)
K = 10
#: a second, wider cut: the corpus holds more than ten titled ads for the broad wishes
K_WIDE = 30


def split_of(key: str) -> str:
    return "dev" if hashlib.sha1(key.encode("utf-8")).digest()[0] % 2 == 0 else "held"


def corpus(data: dict[str, Any]) -> list[Any]:
    """The demo fixtures, the Jobnet sample and the written ads of ``data["ads"]`` (as plain
    text ads)."""
    feeds = [FIXTURES / "demo_jobnet_page.json",
             *sorted((FIXTURES / "jobnet_details").glob("*.json")),
             FIXTURES / "demo_jobposting.jsonl", FIXTURES / "demo_vacancies.csv",
             *sorted((SHARED / "jobnet_sample").glob("*.json"))]
    vs = list(read_feeds(feeds).vacancies)
    proto = vs[0]
    for a in data["ads"]:
        vs.append(dataclasses.replace(
            proto, source="written", external_id=a["id"], title=a["title"], text=a["text"],
            occupation_uri=None, occupation_label=None, occupation_confidence=None,
            facts=(), employer=None))
    return vs


def tagger_scores(tagger: TopicTagger, items: list[tuple[str, str, dict[str, int]]]
                  ) -> dict[str, Any]:
    found = correct = main = main_hit = 0
    errors = []
    for key, text, labels in items:
        got = [t.group for t in tagger.tag(text)]
        ok = {g for g, grade in labels.items() if grade >= 2}
        m3 = {g for g, grade in labels.items() if grade >= 3}
        found += len(got)
        correct += sum(g in ok for g in got)
        main += len(m3)
        main_hit += len(m3 & set(got))
        if set(got) - ok or m3 - set(got):
            errors.append({"id": key, "found": got, "labels": labels})
    return {"n": len(items), "precision": round(correct / found, 3) if found else None,
            "recall": round(main_hit / main, 3) if main else None, "found": found,
            "errors": errors}


def retrieval(m: Matcher, queries: list[dict[str, Any]], credit: float) -> dict[str, Any]:
    saved = relevance.TOPIC_CREDIT
    relevance.TOPIC_CREDIT = credit
    m.relevance.clear_occupation_cache()
    try:
        rec, wide, rr, never, per = [], [], [], 0, []
        for q in queries:
            hits = [s.vacancy.external_id for s in m.search(q["wish"], limit=K_WIDE)]
            ids = hits[:K]
            rel = q.get("relevant", [])
            if rel:
                rec.append(sum(r in ids for r in rel) / len(rel))
                wide.append(sum(r in hits for r in rel) / len(rel))
                first = next((i for i, x in enumerate(ids) if x in rel), None)
                rr.append(0.0 if first is None else 1.0 / (first + 1))
            bad = [x for x in q.get("never", []) if x in ids]
            never += len(bad)
            per.append({"wish": q["wish"], "relevant": rel, "top": ids, "never_hit": bad})
    finally:
        relevance.TOPIC_CREDIT = saved
        m.relevance.clear_occupation_cache()
    return {"n": len(queries), "recall@10": round(statistics.fmean(rec), 3) if rec else None,
            "recall@30": round(statistics.fmean(wide), 3) if wide else None,
            "mrr": round(statistics.fmean(rr), 3) if rr else None, "never_hits": never,
            "queries": per}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--held-back", action="store_true", help="also score the held-back halves")
    ap.add_argument("--misses", action="store_true", help="print the dev errors")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not (SHARED / "jobnet_sample").exists():
        print(f"needs {SHARED / 'jobnet_sample'}", file=sys.stderr)
        return 2
    data = json.loads(SET.read_text(encoding="utf-8"))
    fresh = json.loads(FRESH.read_text(encoding="utf-8"))
    third = json.loads(THIRD.read_text(encoding="utf-8"))
    fourth = json.loads(FOURTH.read_text(encoding="utf-8"))
    halves = ("dev", "held") if args.held_back else ("dev",)
    vs = corpus({"ads": data["ads"] + fresh["ads"] + third["ads"] + fourth["ads"]})
    by_id = {v.external_id: v for v in vs}
    tagger = TopicTagger.load()
    out: dict[str, Any] = {"tagger": {}, "retrieval": {}}
    for h in halves:
        items = [(a["id"], a["text"], a["groups"]) for a in data["ads"]
                 if split_of(a["id"]) == h]
        out["tagger"][f"written_{h}"] = tagger_scores(tagger, items)
    jn = [(k, by_id[k].text or "", g) for k, g in data["jobnet_groups"].items()]
    out["tagger"]["jobnet"] = tagger_scores(tagger, jn)
    if args.held_back:
        for name, extra in (("fresh_held", fresh), ("third_held", third),
                            ("fourth_held", fourth)):
            out["tagger"][name] = tagger_scores(
                tagger, [(a["id"], a["text"], a["groups"]) for a in extra["ads"]])
    texts = [t for _, t, _ in jn]
    runs = []
    for _ in range(5):
        tagger._word.cache_clear()
        t0 = time.perf_counter()
        for t in texts:
            tagger.tag(t)
        runs.append((time.perf_counter() - t0) / len(texts))
    out["tag_us_per_ad_median"] = round(statistics.median(runs) * 1e6)
    occ, enc = load_text_models(Settings.load())
    m = Matcher.from_vacancies(vs, occupation_matcher=occ, encoder=enc, today=TODAY)
    sets = [(h, [q for q in data["queries"] if split_of(q["wish"]) == h]) for h in halves]
    if args.held_back:
        sets += [("fresh", fresh["queries"]), ("third", third["queries"]),
                 ("fourth", fourth["queries"])]
    for h, qs in sets:
        out["retrieval"][h] = {"with_topics": retrieval(m, qs, relevance.TOPIC_CREDIT),
                               "without": retrieval(m, qs, 0.0)}
    print(f"ad-text topics: {len(vs)} ads, tagging {out['tag_us_per_ad_median']} µs per "
          "Jobnet ad (median of 5)")
    print("\ntagger            n   precision  recall (grade 3)")
    for k, r in out["tagger"].items():
        print(f"  {k:<14} {r['n']:>3}   {r['precision']!s:>9}  {r['recall']!s:>7}")
    print("\nretrieval (search)  with topics: recall@10 / @30 / MRR / never   "
          "without: recall@10 / @30 / MRR / never")
    for h, r in out["retrieval"].items():
        a, b = r["with_topics"], r["without"]
        print(f"  {h:<5} ({a['n']} wishes)  {a['recall@10']} / {a['recall@30']} / {a['mrr']} / "
              f"{a['never_hits']}            {b['recall@10']} / {b['recall@30']} / {b['mrr']} / "
              f"{b['never_hits']}")
    if args.misses:
        print("\ndev tagger errors:")
        for e in out["tagger"]["written_dev"]["errors"] + out["tagger"]["jobnet"]["errors"]:
            print("  ", e)
        print("\ndev retrieval misses (with topics):")
        for q in out["retrieval"]["dev"]["with_topics"]["queries"]:
            if any(r not in q["top"] for r in q["relevant"]) or q["never_hit"]:
                print("  ", q["wish"], q["relevant"], q["never_hit"], q["top"])
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
