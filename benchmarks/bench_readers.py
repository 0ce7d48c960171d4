"""What the jobdev CSV readers cost to refuse a file over the size limit, against baselines
run in the same process (moved out of tests/test_fuzz_jobdev.py, which asserted "< 5 s").

    python benchmarks/bench_readers.py [--gib 2] [--reps 5]

A sparse file of ``--gib`` GiB (no disk used) is handed to ``read_job_starts_csv`` and
``read_contacts_csv``; each must refuse it with "more than the limit" without reading it.
Beside them, interleaved: the same reader on a one-row file (what any call costs) and a plain
read of the sparse file's first 64 MiB (what reading it would cost, scaled to the whole file).
Prints medians of wall-clock time; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHUNK = 64 * 1024**2


def timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def refuse(reader: Callable[..., Any], path: Path) -> Callable[[], None]:
    from ipsmatch.errors import FeedReadError

    def call() -> None:
        try:
            reader(path)
        except FeedReadError as e:
            if "more than the limit" not in str(e):
                raise
        else:
            raise SystemExit(f"{reader.__name__} read a {path.stat().st_size}-byte file")
    return call


def read_head(path: Path) -> Callable[[], None]:
    def call() -> None:
        with path.open("rb") as fh:
            fh.read(CHUNK)
    return call


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gib", type=float, default=2.0, help="size of the sparse file (GiB)")
    ap.add_argument("--reps", type=int, default=5, help="runs of each case (median shown)")
    args = ap.parse_args()

    from ipsmatch.jobdev import read_contacts_csv, read_job_starts_csv

    with tempfile.TemporaryDirectory() as d:
        huge = Path(d) / "huge.csv"
        with huge.open("wb") as fh:
            fh.truncate(int(args.gib * 1024**3))
        starts = Path(d) / "starts.csv"
        starts.write_text("citizen_id,employer_name,title,start_date\n"
                          "c-1,Lager A/S,Lagermedarbejder,2026-10-01\n", encoding="utf-8")
        contacts = Path(d) / "contacts.csv"
        contacts.write_text("date,consultant,kind,employer_name\n2026-10-01,kh,phone,X\n",
                            encoding="utf-8")
        cases: dict[str, Callable[[], Any]] = {
            "read_job_starts_csv, refused": refuse(read_job_starts_csv, huge),
            "read_contacts_csv, refused": refuse(read_contacts_csv, huge),
            "baseline: read_job_starts_csv, 1 row": lambda: read_job_starts_csv(starts),
            "baseline: read_contacts_csv, 1 row": lambda: read_contacts_csv(contacts),
            "baseline: read 64 MiB of the file": read_head(huge),
        }
        runs: dict[str, list[float]] = {k: [] for k in cases}
        for _ in range(args.reps):  # interleaved, so a busy machine slows every case alike
            for name, fn in cases.items():
                runs[name].append(timed(fn))

    print(f"{args.gib:g} GiB sparse file, median of {args.reps} runs")
    width = max(map(len, runs))
    for name, ts in runs.items():
        print(f"  {name:<{width}}  {statistics.median(ts) * 1000:9.2f} ms")
    per_gib = statistics.median(runs["baseline: read 64 MiB of the file"]) * 1024**3 / CHUNK
    print(f"  {'(reading the whole file would take about)':<{width}}  "
          f"{per_gib * args.gib * 1000:9.0f} ms")


if __name__ == "__main__":
    main()
