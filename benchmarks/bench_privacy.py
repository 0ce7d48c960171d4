"""What the CPR checks cost a refresh (issue #14), against a same-process baseline.

    python benchmarks/bench_privacy.py [--copies 100] [--reps 3]

Builds a CSV feed from the demo ads (``fixtures/feeds/demo_vacancies.csv`` repeated with new
ids) and refreshes it into a fresh SQLite database (occupation matching off, so the refresh
itself is what is timed), in three configurations, interleaved: no CPR checks at all, the
feed reader's per-record check only, and reader + the store guard under every write (what
ipsmatch runs). Prints medians of wall-clock time.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def make_feed(path: Path, copies: int) -> int:
    with (REPO / "fixtures" / "feeds" / "demo_vacancies.csv").open(encoding="utf-8",
                                                                   newline="") as f:
        rows = list(csv.DictReader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        for c in range(copies):
            for r in rows:
                w.writerow({**r, "id": f"{r['id']}-{c}", "source": "bench"})
    return copies * len(rows)


def run_once(feed: Path, mode: str) -> float:
    from sqlalchemy import event

    import ipsmatch.feeds.finish as base
    from ipsmatch.privacy import cpr_field
    from ipsmatch.refresh import refresh
    from ipsmatch.store import Store
    from ipsmatch.store.engine import _refuse_cpr

    with tempfile.TemporaryDirectory() as d:
        store = Store.open(f"sqlite:///{d}/b.db", create=True).init()
        if mode != "reader+guard":
            event.remove(store.engine, "before_cursor_execute", _refuse_cpr)
        base.cpr_field = (lambda _v: None) if mode == "none" else cpr_field  # type: ignore[assignment]
        try:
            t0 = time.perf_counter()
            report = refresh(store, [feed], occupation_resolver=None)
            dt = time.perf_counter() - t0
        finally:
            base.cpr_field = cpr_field
        assert report.rejected == 0, report.summary()
        store.close()
    return dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        feed = Path(d) / "feed.csv"
        n = make_feed(feed, args.copies)
        modes = ("none", "reader", "reader+guard")
        times: dict[str, list[float]] = {m: [] for m in modes}
        run_once(feed, "none")  # warm-up: imports, page cache
        for _ in range(args.reps):
            for m in modes:
                times[m].append(run_once(feed, m))
    base_t = statistics.median(times["none"])
    print(f"refresh of {n} ads ({feed.name}, {args.reps} reps, medians):")
    for m in modes:
        t = statistics.median(times[m])
        print(f"  {m:13s} {t:6.2f} s  ({(t / base_t - 1) * 100:+.0f}% vs no checks)")


if __name__ == "__main__":
    main()
