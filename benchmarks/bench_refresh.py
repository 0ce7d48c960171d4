"""Timings that used to be assertions in the tests (``< 15 s`` and the like), as figures.

Each case runs ``--reps`` times and reports its median beside the median of a baseline that
does the plain part of the same work in the same process (so the ratio says more than the
seconds on a busy machine). Nothing is asserted: read the figures.

    python benchmarks/bench_refresh.py [--reps 3] [--ads 3000] [--json out.json]

Cases (and their baselines):

- ``apply_batch``: ``--ads`` ads into an empty store, then the same ads with 10 % changed
  and ``snapshot`` (tests/test_refresh.py); baseline: the same rows in one executemany.
- ``active_vacancies``: ``Store.iter_active_vacancies`` over ``--ads`` x 10 stored ads
  (tests/test_store.py); baseline: ``SELECT *`` of the same rows.
- ``huge_jsonl_line``: ``read_feeds`` of a JSON Lines file with a 50 MB line (refused at
  1 MB) and one good line (tests/test_fuzz_feeds.py); baseline: reading the file's bytes.
- ``size_cap``: ``read_feeds`` of a sparse 2 GB file, refused by its size; baseline: stat.
- ``html_bomb.*``: ``html_to_text`` of each HTML bomb of tests/test_fuzz_feeds.py;
  baseline: one ``str.replace`` over the same text.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ipsmatch.domain import Employer, Vacancy
from ipsmatch.feeds import FeedBatch, read_feeds
from ipsmatch.refresh import apply_batch
from ipsmatch.store import Store
from ipsmatch.store.schema import vacancies
from ipsmatch.store.serialize import vacancy_to_row
from ipsmatch.text.html import html_to_text

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
HTML_BOMBS = {
    "entities": "&amp;" * 5_000_000,
    "nested_divs": "<div>" * 2_000_000 + "x" + "</div>" * 2_000_000,
    "unclosed_tags": "<b><i><u>" * 500_000,
    "emoji_refs": "&#x1F600;" * 3_000_000,
    "open_comment": "<!--" + "a" * 10_000_000,
    "script": "<script>" + "alert(1)" * 1_000_000,
}


def median_of(reps: int, run: Callable[[], Any], setup: Callable[[], Any] | None = None
              ) -> float:
    """Median seconds of ``run`` (``setup`` before each, not timed)."""
    times = []
    for _ in range(reps):
        if setup:
            setup()
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def ads(n: int, changed_every: int = 0) -> list[Vacancy]:
    return [Vacancy(source="jobnet", external_id=str(i),
                    title=f"Job {i} {'b' if changed_every and i % changed_every == 0 else 'a'}",
                    content_hash=f"{i}{'b' if changed_every and i % changed_every == 0 else 'a'}",
                    employer=Employer(f"Firma {i % 300}"), deadline=date(2026, 12, 31),
                    postcode="9000")
            for i in range(n)]


def new_store(d: Path, name: str) -> Store:
    return Store.open(f"sqlite:///{d / name}", create=True).init()


def case_apply_batch(d: Path, reps: int, n: int) -> dict[str, float]:
    stores: list[Store] = []

    def setup() -> None:
        stores.append(new_store(d, f"apply-{len(stores)}.db"))

    def run() -> None:
        apply_batch(stores[-1], FeedBatch(vacancies=ads(n)), now=T0)
        apply_batch(stores[-1], FeedBatch(vacancies=ads(n, changed_every=10)),
                    now=T0 + timedelta(days=1), snapshot=True)

    def base() -> None:
        rows = [{**vacancy_to_row(v), "first_seen": T0, "last_seen": T0} for v in ads(n)]
        with stores[-1].engine.begin() as conn:
            conn.execute(vacancies.insert(), rows)

    out = {"seconds": median_of(reps, run, setup), "baseline": median_of(reps, base, setup)}
    for s in stores:
        s.close()
    return out


def case_active_vacancies(d: Path, reps: int, n: int) -> dict[str, float]:
    store = new_store(d, "active.db")
    rows = [{**vacancy_to_row(v), "first_seen": T0, "last_seen": T0} for v in ads(n)]
    with store.engine.begin() as conn:
        conn.execute(vacancies.insert(), rows)

    def base() -> None:
        with store.engine.connect() as conn:
            conn.execute(vacancies.select()).all()

    out = {"seconds": median_of(reps, lambda: sum(1 for _ in store.iter_active_vacancies())),
           "baseline": median_of(reps, base)}
    store.close()
    return out


def case_huge_jsonl_line(d: Path, reps: int) -> dict[str, float]:
    p = d / "big.jsonl"
    with p.open("w") as fh:
        fh.write(json.dumps({"@type": "JobPosting", "identifier": "1", "title": "Lager"}) + "\n")
        fh.write('{"@type": "JobPosting", "identifier": "2", "description": "')
        fh.write("x" * 50_000_000)
        fh.write('"}\n')
    return {"seconds": median_of(reps, lambda: read_feeds([p])),
            "baseline": median_of(reps, p.read_bytes)}


def case_size_cap(d: Path, reps: int) -> dict[str, float]:
    p = d / "huge.jsonl"
    with p.open("wb") as fh:  # sparse: nothing is written to disk
        fh.truncate(2 * 1024**3)
    return {"seconds": median_of(reps, lambda: read_feeds([p])),
            "baseline": median_of(reps, p.stat)}


def case_html_bombs(reps: int) -> dict[str, dict[str, float]]:
    return {name: {"seconds": median_of(reps, lambda b=bomb: html_to_text(b)),
                   "baseline": median_of(reps, lambda b=bomb: b.replace("<", " "))}
            for name, bomb in HTML_BOMBS.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--ads", type=int, default=3000)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        figures: dict[str, Any] = {
            "apply_batch": case_apply_batch(d, args.reps, args.ads),
            "active_vacancies": case_active_vacancies(d, args.reps, args.ads * 10),
            "huge_jsonl_line": case_huge_jsonl_line(d, args.reps),
            "size_cap": case_size_cap(d, args.reps),
            **{f"html_bomb.{k}": v for k, v in case_html_bombs(args.reps).items()},
        }
    print(f"{'case':28} {'median s':>10} {'baseline s':>11} {'ratio':>8}")
    for name, f in figures.items():
        ratio = f["seconds"] / f["baseline"] if f["baseline"] else float("inf")
        print(f"{name:28} {f['seconds']:10.3f} {f['baseline']:11.4f} {ratio:8.1f}")
    if args.json:
        args.json.write_text(json.dumps({"reps": args.reps, "ads": args.ads, **figures},
                                        indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
