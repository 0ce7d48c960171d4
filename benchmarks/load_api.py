"""Load test of `ipsmatch serve` on loopback: the API's suggest and the citizen page, open loop.

    python benchmarks/load_api.py --db sqlite                      # 1 worker
    scripts/with-postgres.sh python benchmarks/load_api.py --db postgresql --workers 2

100k synthetic ads (benchmarks/synth.py through bench_scale.generate, cached under
benchmarks/.cache; the SQLite database and the matcher's index files are cached there too).
Requests arrive open-loop (Poisson, fixed seed) at ``--rate`` per second for ``--seconds``,
whether or not earlier ones have finished: half are ``GET /api/v1/citizens/{id}/suggest``
with a token, half the citizen page ``GET /citizens/{id}`` with a logged-in session (both run a
suggest). A third of the requests are for citizens whose wish was never asked before (each an
ESCO occupation label used once); the rest for citizens whose wishes the workers have seen.
Then shorter steps at higher rates find the highest rate that still meets the targets.
Memory: the server's process tree (RSS and PSS, summed), sampled every 0.5 s.

The client runs on the same 2 cores as the server, so the figures include its cost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import bench_scale  # noqa: E402  (the feed generator and its cache)

TODAY = "2026-11-16"  # synth.REF_DATE: the ads are posted in the 30 days before it
NOW_FULL = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)
TARGETS = {"api_p95_ms": 150.0, "page_p95_ms": 300.0, "errors": 0, "memory_mb": 2048.0}
N_BASE = 300


# --- the data -------------------------------------------------------------------------------

def feeds(size: int, seed: int) -> tuple[Path, dict[str, Any]]:
    cache = HERE / ".cache" / f"synth-{size}-seed{seed}"
    return cache, bench_scale.generate(size, seed, cache, N_BASE)


def first_time_wishes() -> list[str]:
    """Danish ESCO occupation labels in a fixed shuffled order: each is asked for once."""
    from ipsmatch.taxonomy.concepts import load_taxonomy

    labels = sorted({c.label for c in load_taxonomy().concepts
                     if c.kind == "occupation" and c.label})
    random.Random(7).shuffle(labels)
    return labels


def prepare(url: str, cache: Path, gen: dict[str, Any], n_new: int) -> dict[str, Any]:
    """Load the ads, store the citizens, create a token and a user; once per database."""
    from ipsmatch.refresh import refresh
    from ipsmatch.store import Store

    store = Store.open(url, create=True, lock_timeout=600).init()
    out: dict[str, Any] = {}
    if store.count_vacancies() == 0:
        t = time.perf_counter()
        rep = refresh(store, [str(cache / n) for n in gen["base_files"]], snapshot=True,
                      now=NOW_FULL)
        out["refresh_s"] = round(time.perf_counter() - t, 1)
        out["refresh"] = rep.summary()
    base = [json.loads(x) for x in (cache / "profiles.jsonl").read_text().splitlines()]
    known = {r.id for r in store.list_citizens()}
    for i, p in enumerate(base):
        cid = f"load-base-{i:03d}"
        if cid not in known:
            store.save_citizen(cid, {**p, "id": cid}, "kons-load")
    for i, wish in enumerate(first_time_wishes()[:n_new]):
        cid = f"load-new-{i:04d}"
        if cid not in known:
            p = base[i % len(base)]
            store.save_citizen(cid, {**p, "id": cid, "wishes": [wish], "avoid": []},
                               "kons-load")
    out["vacancies"] = store.count_vacancies()
    store.close()
    return out


def credentials(url: str) -> tuple[str, str]:
    """(an API token, a session cookie of a consultant) for this run."""
    from ipsmatch.store import Store
    from ipsmatch.web.tokens import create_token
    from ipsmatch.web.users import add_user, create_session, get_user

    store = Store.open(url)
    tag = f"{os.getpid()}-{int(time.time())}"
    token, _ = create_token(store.engine, f"load-{tag}", "consultant")
    name = "kons-loadtest"
    try:
        user = get_user(store.engine, name)
    except Exception:
        user = add_user(store.engine, name, "consultant", "load-test-password-1")
    cookie = create_session(store.engine, user)
    store.close()
    return token, cookie


# --- the server -----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, workers: int, xdg: Path, log: Path) -> tuple[subprocess.Popen[bytes],
                                                                         str]:
    import httpx

    port = free_port()
    env = {**os.environ, "IPSMATCH_DB": url, "XDG_DATA_HOME": str(xdg), "IPSMATCH_TODAY": TODAY,
           "IPSMATCH_API_RATE": "1000000", "PYTHONPATH": str(REPO)}
    fh = log.open("w")
    proc = subprocess.Popen([sys.executable, "-m", "ipsmatch", "serve", "--port", str(port),
                             "--workers", str(workers)], env=env, stdout=fh,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    t0 = time.monotonic()
    while True:
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() - t0 > 900:
            raise SystemExit("server did not start:\n" + log.read_text())
        time.sleep(0.5)
    return proc, base


def tree_memory(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB of ``pid`` and its children (the uvicorn workers)."""
    pids = [pid]
    try:
        for line in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            pids.append(int(line))
    except OSError:
        pass
    rss = pss = 0.0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) / 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) / 1024
        except OSError:
            continue
    return rss, pss


class MemorySampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.stop, self.peak_rss, self.peak_pss = pid, threading.Event(), 0.0, 0.0

    def run(self) -> None:
        while not self.stop.is_set():
            rss, pss = tree_memory(self.pid)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.stop.wait(0.5)


# --- the load -------------------------------------------------------------------------------

def pct(xs: list[float], p: float) -> float | None:
    if not xs:
        return None
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def stats(ms: list[float], errors: int) -> dict[str, Any]:
    return {"n": len(ms) + errors, "errors": errors,
            "p50_ms": round(pct(ms, 50) or 0, 1), "p95_ms": round(pct(ms, 95) or 0, 1),
            "max_ms": round(max(ms), 1) if ms else None}


async def open_loop(base: str, token: str, cookie: str, rate: float, seconds: float,
                    new_ids: list[str], seed: int) -> dict[str, Any]:
    import httpx

    rng = random.Random(seed)
    n = int(rate * seconds)
    arrivals, t = [], 0.0
    for _ in range(n):
        t += rng.expovariate(rate)
        arrivals.append(t)
    lat: dict[str, list[float]] = {"api": [], "page": []}
    err: dict[str, int] = {"api": 0, "page": 0}
    err_samples: list[str] = []
    limits = httpx.Limits(max_connections=500, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        async def one(i: int, at: float, start: float) -> None:
            await asyncio.sleep(max(0.0, start + at - time.perf_counter()))
            kind = "api" if i % 2 == 0 else "page"
            first_time = i % 3 == 0 and new_ids
            cid = new_ids.pop() if first_time else f"load-base-{rng.randrange(N_BASE):03d}"
            t0 = time.perf_counter()
            try:
                if kind == "api":
                    r = await client.get(f"/api/v1/citizens/{cid}/suggest",
                                         params={"limit": 20},
                                         headers={"Authorization": f"Bearer {token}"})
                else:
                    r = await client.get(f"/citizens/{cid}",
                                         cookies={"ipsm_session": cookie})
                ok = r.status_code == 200
                if not ok and len(err_samples) < 5:
                    err_samples.append(f"{kind} {r.status_code} {r.text[:200]}")
            except httpx.HTTPError as exc:
                ok = False
                if len(err_samples) < 5:
                    err_samples.append(f"{kind} {exc!r}")
            if ok:
                lat[kind].append((time.perf_counter() - t0) * 1000)
            else:
                err[kind] += 1

        start = time.perf_counter()
        await asyncio.gather(*(one(i, at, start) for i, at in enumerate(arrivals)))
        wall = time.perf_counter() - start
    return {"rate": rate, "seconds": seconds, "wall_s": round(wall, 1),
            "api_suggest": stats(lat["api"], err["api"]),
            "citizen_page": stats(lat["page"], err["page"]), "error_samples": err_samples}


async def one_at_a_time(base: str, token: str, cookie: str, n: int, new_ids: list[str]
                        ) -> dict[str, Any]:
    """The baseline in the same run: the same mix, one request in flight (service time)."""
    import httpx

    lat: dict[str, list[float]] = {"api": [], "page": []}
    rng = random.Random(1)
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        for i in range(n):
            cid = new_ids.pop() if i % 3 == 0 else f"load-base-{rng.randrange(N_BASE):03d}"
            t0 = time.perf_counter()
            if i % 2 == 0:
                r = await c.get(f"/api/v1/citizens/{cid}/suggest", params={"limit": 20},
                                headers={"Authorization": f"Bearer {token}"})
            else:
                r = await c.get(f"/citizens/{cid}", cookies={"ipsm_session": cookie})
            r.raise_for_status()
            lat["api" if i % 2 == 0 else "page"].append((time.perf_counter() - t0) * 1000)
    return {"n": n, "api_suggest": stats(lat["api"], 0), "citizen_page": stats(lat["page"], 0)}


def meets(r: dict[str, Any], mem_mb: float) -> bool:
    return (r["api_suggest"]["p95_ms"] <= TARGETS["api_p95_ms"]
            and r["citizen_page"]["p95_ms"] <= TARGETS["page_p95_ms"]
            and r["api_suggest"]["errors"] + r["citizen_page"]["errors"] == 0
            and mem_mb <= TARGETS["memory_mb"])


async def warm(base: str, token: str, workers: int) -> float:
    """Every base citizen's wishes once per worker (so they are 'seen' wishes)."""
    import httpx

    t0 = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=120,
                                 headers={"Authorization": f"Bearer {token}"}) as c:
        sem = asyncio.Semaphore(2 * workers)

        async def one(i: int) -> None:
            async with sem:
                r = await c.get(f"/api/v1/citizens/load-base-{i % N_BASE:03d}/suggest")
                r.raise_for_status()
        await asyncio.gather(*(one(i) for i in range(N_BASE * workers)))
    return round(time.perf_counter() - t0, 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--db-url", help="PostgreSQL server URL (default IPSMATCH_TEST_PG_URL)")
    ap.add_argument("--workers", type=int, default=None, help="[sqlite: 1, postgresql: 2]")
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--rate", type=float, default=10.0)
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--steps", default="15,20,30,40",
                    help="other rates to try, lowest first (comma list)")
    ap.add_argument("--step-seconds", type=float, default=30.0)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--prepare-only", action="store_true",
                    help="load the ads and citizens (and build the index), then stop")
    a = ap.parse_args(argv)
    workers = a.workers or (1 if a.db == "sqlite" else 2)
    work = HERE / ".cache" / "load"
    work.mkdir(parents=True, exist_ok=True)
    cache, gen = feeds(a.size, a.seed)
    steps = sorted(float(x) for x in a.steps.split(",") if x.strip())
    n_new = math.ceil((a.rate * a.seconds + sum(steps) * a.step_seconds) / 3) + 80
    if a.db == "sqlite":
        url = f"sqlite:///{work / f'load-{a.size}.db'}"
        xdg = work / "xdg-sqlite"
    else:
        import sqlalchemy as sa

        server = a.db_url or os.environ.get("IPSMATCH_TEST_PG_URL")
        if not server:
            raise SystemExit("--db postgresql needs --db-url or scripts/with-postgres.sh")
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        name = f"ipsmatch_load_{a.size}"
        with admin.connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": name}).first()
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = sa.engine.make_url(server).set(database=name).render_as_string(
            hide_password=False)
        xdg = work / "xdg-pg"
    t = time.perf_counter()
    prep = prepare(url, cache, gen, n_new)
    prep["prepare_s"] = round(time.perf_counter() - t, 1)
    print(f"prepared: {prep}", file=sys.stderr)
    if a.prepare_only:
        from ipsmatch.matcher import Matcher

        os.environ["XDG_DATA_HOME"] = str(xdg)  # the index the server will open
        t = time.perf_counter()
        Matcher.open(url).close()
        print(f"matcher opened (index built) in {time.perf_counter() - t:.1f} s",
              file=sys.stderr)
        return 0
    token, cookie = credentials(url)
    t = time.perf_counter()
    proc, base = start_server(url, workers, xdg, work / f"server-{a.db}.log")
    start_s = round(time.perf_counter() - t, 1)
    sampler = MemorySampler(proc.pid)
    sampler.start()
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"), "db": a.db,
        "workers": workers, "ads": prep["vacancies"], "machine": bench_scale.machine(),
        "python": platform.python_version(), "targets": TARGETS, "prepare": prep,
        "server_start_s": start_s}
    try:
        result["warm_up_s"] = asyncio.run(warm(base, token, workers))
        new_ids = [f"load-new-{i:04d}" for i in range(n_new)][::-1]
        result["one_at_a_time"] = asyncio.run(one_at_a_time(base, token, cookie, 60, new_ids))
        print(json.dumps(result["one_at_a_time"]), file=sys.stderr)
        result["load_before"] = os.getloadavg()
        sampler.peak_rss = sampler.peak_pss = 0.0
        main_run = asyncio.run(open_loop(base, token, cookie, a.rate, a.seconds, new_ids,
                                         a.seed))
        main_run["memory_rss_mb"] = round(sampler.peak_rss)
        main_run["memory_pss_mb"] = round(sampler.peak_pss)
        main_run["load_after"] = os.getloadavg()
        main_run["meets_targets"] = meets(main_run, sampler.peak_pss)
        result["main"] = main_run
        print(json.dumps(main_run), file=sys.stderr)
        result["steps"] = []
        # the steps go up from the lowest rate; the first that misses a target ends them
        best = a.rate if main_run["meets_targets"] else None
        for rate in steps:
            sampler.peak_rss = sampler.peak_pss = 0.0
            r = asyncio.run(open_loop(base, token, cookie, rate, a.step_seconds, new_ids,
                                      a.seed + int(rate)))
            r["memory_rss_mb"], r["memory_pss_mb"] = round(sampler.peak_rss), round(
                sampler.peak_pss)
            r["meets_targets"] = meets(r, sampler.peak_pss)
            r["load_after"] = os.getloadavg()
            result["steps"].append(r)
            print(json.dumps(r), file=sys.stderr)
            if not r["meets_targets"]:
                break
            best = max(best or 0.0, rate)
        result["highest_rate_meeting_targets"] = best
    finally:
        sampler.stop.set()
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    out = a.out or HERE / "results" / f"load_{a.db}_{a.size // 1000}k.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
