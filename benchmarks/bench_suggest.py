"""Benchmark ``Matcher.suggest`` on synthetic data (issue #6 speed targets).

    PYTHONPATH=. python benchmarks/bench_suggest.py --vacancies 100000 --employers 20000

Titles come from the ESCO Danish occupation labels, texts from Danish job-ad sentences
(../shared/data/kompetencer_da), locations from the bundled postcodes; facts, hours and work
conditions are random. Reports fit/save/load times, suggest p50/p95 and the ratio to a NumPy
brute-force scan over the same TF-IDF vectors and to an SQLite FTS5 query over the same texts.
Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sqlite3
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from ipsmatch.domain import FACT_KEYS, Employer, Fact, Vacancy
from ipsmatch.geo import _table
from ipsmatch.matcher import Matcher

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
TODAY = date(2026, 11, 23)
WISHES = ["lagerarbejde", "kok", "rengøring", "chauffør", "pædagogmedhjælper", "butik",
          "arbejde på en byggeplads", "gartner", "kontorassistent", "social- og sundhedshjælper",
          "pakkeri", "køkkenmedhjælper", "maler", "it-support", "postbud"]


def load_titles() -> list[str]:
    with open(SHARED / "esco_da" / "occupations_da.csv", encoding="utf-8") as f:
        return [r["preferredLabel_da"] for r in csv.DictReader(f) if r["preferredLabel_da"]]


def load_sentences() -> list[str]:
    words: list[str] = []
    sents: list[str] = []
    with open(SHARED / "kompetencer_da" / "kompetencer_danish_train.conll", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                if words:
                    sents.append(" ".join(words))
                words = []
            elif not line.startswith("#"):
                words.append(line.split("\t")[0])
    return sents or ["Vi søger en medarbejder til vores afdeling."]


def generate(n: int, n_emp: int, seed: int = 1) -> tuple[list[Vacancy], list[Employer]]:
    rng = random.Random(seed)
    titles, sents = load_titles(), load_sentences()
    pcs = [p for p in _table().values()]
    emps = []
    for i in range(n_emp):
        pc = rng.choice(pcs)
        emps.append(Employer(name=f"Virksomhed {i}", cvr=str(10_000_000 + i), postcode=pc.postcode,
                             lat=pc.lat, lon=pc.lon, industry=rng.choice(titles)))
    vs = []
    for i in range(n):
        e = emps[rng.randrange(n_emp)]
        hmin = rng.choice([None, 8.0, 10.0, 15.0, 20.0, 30.0, 37.0])
        facts = [Fact(k, rng.random() < 0.5, "frase") for k in rng.sample(FACT_KEYS, 3)]
        title = rng.choice(titles)
        vs.append(Vacancy(
            source="bench", external_id=str(i), title=title,
            text=" ".join(rng.choice(sents) for _ in range(8)), employer=e,
            postcode=e.postcode, lat=e.lat, lon=e.lon, hours_min=hmin,
            hours_max=None if hmin is None else hmin + rng.choice([0, 5]), facts=facts,
            work_conditions=rng.choice([[], [], [], ["fleksjob"], ["loentilskud"]]),
            posted=TODAY - timedelta(days=rng.randrange(60)),
            deadline=TODAY + timedelta(days=rng.randrange(1, 40)),
            content_hash=f"h{i}"))
    return vs, emps


def profiles(k: int, seed: int = 2) -> list[dict]:
    rng = random.Random(seed)
    pcs = [p.postcode for p in _table().values()]
    needs = ["no_night", "flexible_start", "no_weekend", "no_heavy_lifting", "quiet_workplace"]
    return [{"id": f"c-{i}", "home_postcode": rng.choice(pcs),
             "travel": {"mode": rng.choice(["bike", "public", "car"]),
                        "max_minutes": rng.choice([20, 30, 45, 60])},
             "hours": {"min": 8, "max": rng.choice([12, 20, 30])},
             "wishes": rng.sample(WISHES, 2), "avoid": ["kundekontakt"],
             "needs": rng.sample(needs, 2)} for i in range(k)]


def pct(xs: list[float], p: float) -> float:
    return float(np.percentile(xs, p))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--vacancies", type=int, default=100_000)
    ap.add_argument("--employers", type=int, default=20_000)
    ap.add_argument("--queries", type=int, default=50)
    a = ap.parse_args()

    t = time.perf_counter()
    vs, emps = generate(a.vacancies, a.employers)
    print(f"generated {len(vs)} vacancies, {len(emps)} employers in "
          f"{time.perf_counter() - t:.1f}s")
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        Matcher.from_vacancies(vs, emps, index_dir=d, today=TODAY)
        print(f"fit + save index: {time.perf_counter() - t:.1f}s")
        t = time.perf_counter()
        m = Matcher.from_vacancies(vs, emps, index_dir=d, today=TODAY)
        print(f"matcher load (index from disk, arrays from objects): "
              f"{time.perf_counter() - t:.2f}s")
    ps = profiles(a.queries)
    m.suggest(ps[0])  # warm-up
    times = []
    for p in ps:
        t = time.perf_counter()
        m.suggest(p)
        times.append((time.perf_counter() - t) * 1000)
    print(f"suggest: p50 {pct(times, 50):.1f} ms, p95 {pct(times, 95):.1f} ms "
          f"(over {len(ps)} profiles, 2 wishes each)")
    print(f"max RSS so far (generated objects + matcher): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    # reference 1: NumPy brute force over the same TF-IDF body vectors (docs × terms scan)
    lex = m.relevance.lexical_
    docs_terms = lex.postings_["body"].T.tocsr()
    qs = [w for p in ps for w in p["wishes"]]
    bt, it = [], []
    for q in qs:
        t = time.perf_counter()
        np.argsort(-lex.score_all(q))[:20]
        it.append((time.perf_counter() - t) * 1000)
        from ipsmatch.retrieval.lexical import analyze
        feats = analyze(q, "")["body"]
        vec = np.zeros(docs_terms.shape[1], dtype=np.float32)
        for f in feats:
            j = lex.vocab_["body"].get(f)
            if j is not None:
                vec[j] += lex.idf_["body"][j]
        t = time.perf_counter()
        np.argsort(-(docs_terms @ vec))[:20]
        bt.append((time.perf_counter() - t) * 1000)
    print(f"lexical retriever (3 fields, inverted index): p50 {pct(it, 50):.2f} ms per wish; "
          f"brute-force docs×terms scan (1 field): p50 {pct(bt, 50):.2f} ms")

    # reference 2: SQLite FTS5 over the same texts
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(title, text)")
    con.executemany("INSERT INTO fts(rowid, title, text) VALUES (?, ?, ?)",
                    ((i, v.title, v.text) for i, v in enumerate(vs)))
    ft = []
    for q in qs:
        expr = " OR ".join(f'"{w}"' for w in q.split() if len(w) > 2)
        t = time.perf_counter()
        con.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 20",
                    (expr,)).fetchall()
        ft.append((time.perf_counter() - t) * 1000)
    print(f"SQLite FTS5 query (per wish): p50 {pct(ft, 50):.2f} ms")
    per_wish = statistics.median(times) / 2
    print(f"ratio suggest-per-wish / brute force: {per_wish / pct(bt, 50):.1f}; "
          f"/ FTS5: {per_wish / pct(ft, 50):.1f}")
    print(f"max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
