"""Scale benchmark: refresh, incremental refresh, suggest/search latency, cold CLI, memory and
disk, with baselines (NumPy brute force, SQLite FTS5, a naive Python loop) in the same run.

    python benchmarks/bench_scale.py --size 10000
    python benchmarks/bench_scale.py --size 100000 --out benchmarks/results/scale_100k.json
    python benchmarks/bench_scale.py --size 100000 --db postgresql --db-url postgresql+psycopg://...

Each measured phase runs in its own subprocess, so its peak RSS (``ru_maxrss``) is its own and
one phase cannot mask another. Generated feeds are cached under ``benchmarks/.cache`` (keyed by
size and seed). Figures are medians/percentiles of wall-clock time on the machine it runs on.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

#: the refresh clock: the synthetic ads are posted in the 30 days before synth.REF_DATE
NOW_FULL = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)
NOW_INCR = NOW_FULL + timedelta(hours=1)
#: one JSON Lines feed file holds at most this many ads (the readers cap a file at 200 MB)
SHARD = 100_000
FEED_NAME = re.compile(r"(base|incr)-\d{3}\.jsonl$")


# --- helpers --------------------------------------------------------------------------------

def peak_rss_mb() -> float:
    """This process's resident-set high-water mark in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(xs: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``xs``."""
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def lat_stats(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50_ms": round(pct(ms, 50), 3), "p95_ms": round(pct(ms, 95), 3),
            "mean_ms": round(statistics.fmean(ms), 3)}


def dir_size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) if p.is_dir() else 0


def machine() -> dict[str, Any]:
    model = platform.processor()
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "ram_mb": mem,
            "python": platform.python_version(), "platform": platform.platform()}


# --- generation (cached) -------------------------------------------------------------------

def generate(size: int, seed: int, cache: Path, n_profiles: int) -> dict[str, Any]:
    """Write the full feed, the next night's feed (1 % changed, 1 % new, 1 % gone) and the
    profiles into ``cache``; reuse them when already there."""
    done = cache / "DONE.json"
    if done.exists():
        return {**json.loads(done.read_text()), "cached": True}
    import synth

    if cache.exists():
        shutil.rmtree(cache)
    cache.mkdir(parents=True)
    t0 = time.perf_counter()
    res = synth.load_resources()
    gen = synth.Generator(res, seed, "dk", n_employers=max(10, math.ceil(size / 5)))
    base = _ShardedWriter(cache, "base")
    incr = _ShardedWriter(cache, "incr")
    counts = {"changed": 0, "new": 0, "gone": 0}
    try:
        for i in range(size):
            v = gen.vacancy(i)
            e = gen.employers[v.employer_index]
            base.write(synth.jsonld_record(v, e))
            # Every 100th ad disappears, every 100th (offset 50) changes its text and hours.
            if i % 100 == 0:
                counts["gone"] += 1
                continue
            if i % 100 == 50:
                v.paragraphs = [*v.paragraphs, "Stillingen er netop blevet opdateret."]
                v.title = v.title + " (opdateret)"
                counts["changed"] += 1
            incr.write(synth.jsonld_record(v, e))
        for j in range(size, size + size // 100):
            v = gen.vacancy(j)
            incr.write(synth.jsonld_record(v, gen.employers[v.employer_index]))
            counts["new"] += 1
    finally:
        base.close()
        incr.close()
    profiles = synth.generate_citizens(n_profiles, seed, gen.places)
    (cache / "profiles.jsonl").write_text(
        "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in profiles), encoding="utf-8")
    info = {"size": size, "seed": seed, "employers": len(gen.employers), **counts,
            "profiles": len(profiles), "base_files": base.names, "incr_files": incr.names,
            "feed_bytes": dir_size(cache), "seconds": round(time.perf_counter() - t0, 2)}
    done.write_text(json.dumps(info, indent=1))
    return {**info, "cached": False}


class _ShardedWriter:
    def __init__(self, folder: Path, stem: str) -> None:
        self.folder, self.stem, self.n, self.names = folder, stem, 0, []
        self.fh: Any = None

    def write(self, rec: dict[str, Any]) -> None:
        if self.n % SHARD == 0:
            self.close()
            name = f"{self.stem}-{len(self.names):03d}.jsonl"
            self.names.append(name)
            self.fh = (self.folder / name).open("w", encoding="utf-8")
        self.fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        self.n += 1

    def close(self) -> None:
        if self.fh:
            self.fh.close()
            self.fh = None


# --- phases (each runs in a subprocess: `bench_scale.py --phase NAME --ctx FILE`) -----------

def phase_full_refresh(ctx: dict[str, Any]) -> dict[str, Any]:
    from ipsmatch.refresh import refresh
    from ipsmatch.store import Store

    store = Store.open(ctx["db_url"], create=True, lock_timeout=600).init()
    files = [str(Path(ctx["cache"]) / n) for n in ctx["gen"]["base_files"]]
    marks: dict[str, float] = {}
    t0 = time.perf_counter()
    resolver, resolver_note = _occupation_resolver()
    rep = refresh(store, files, snapshot=True, now=NOW_FULL,
                  progress=lambda i, n, label: marks.setdefault(label, time.perf_counter()),
                  occupation_resolver=resolver)
    secs = time.perf_counter() - t0
    store.close()
    return {"seconds": round(secs, 2), "ads_per_s": round(ctx["size"] / secs, 1),
            "read_s": round(marks.get("read", t0) - t0, 2),
            "write_s": round(secs - (marks.get("read", t0) - t0), 2),
            "occupations": resolver_note, "summary": rep.summary(),
            "added": rep.added, "rejected": rep.rejected, "peak_rss_mb": round(peak_rss_mb())}


def phase_incremental(ctx: dict[str, Any]) -> dict[str, Any]:
    from ipsmatch.refresh import refresh
    from ipsmatch.store import Store

    store = Store.open(ctx["db_url"], lock_timeout=600)
    files = [str(Path(ctx["cache"]) / n) for n in ctx["gen"]["incr_files"]]
    marks: dict[str, float] = {}
    resolver, resolver_note = _occupation_resolver()
    t0 = time.perf_counter()
    rep = refresh(store, files, snapshot=True, now=NOW_INCR,
                  progress=lambda i, n, label: marks.setdefault(label, time.perf_counter()),
                  occupation_resolver=resolver)
    secs = time.perf_counter() - t0
    active = store.count_vacancies()
    store.close()
    return {"seconds": round(secs, 2), "read_s": round(marks.get("read", t0) - t0, 2),
            "write_s": round(secs - (marks.get("read", t0) - t0), 2),
            "added": rep.added, "updated": rep.updated, "unchanged": rep.unchanged,
            "expired": rep.expired, "active_after": active, "occupations": resolver_note,
            "summary": rep.summary(), "peak_rss_mb": round(peak_rss_mb())}


def _occupation_resolver() -> tuple[Any, dict[str, Any]]:
    """refresh's default ('auto') occupation resolver, timed; None when this checkout has none."""
    import ipsmatch.refresh as rm

    base = getattr(rm, "_lazy_default_resolver", None)
    if base is None:
        return None, {"note": "not available in this checkout (no taxonomy resolver)"}
    spent: dict[str, Any] = {"seconds": 0.0, "ads": 0}

    def timed(vs: list[Any]) -> None:
        t = time.perf_counter()
        base(vs)
        spent["seconds"] = round(spent["seconds"] + time.perf_counter() - t, 2)
        spent["ads"] += len(vs)
        spent["attached"] = spent.get("attached", 0) + sum(1 for v in vs if v.occupation_uri)

    return timed, spent


def phase_facts(ctx: dict[str, Any]) -> dict[str, Any]:
    """Cost of the text understanding step alone: regex fact + hours extraction per ad."""
    from ipsmatch.text.facts import extract_facts
    from ipsmatch.text.hours import extract_hours
    from ipsmatch.text.html import html_to_text

    recs = []
    with (Path(ctx["cache"]) / ctx["gen"]["base_files"][0]).open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            recs.append((r["title"], html_to_text(r["description"])))
            if len(recs) >= 3000:
                break
    def run(prefilter: bool) -> tuple[float, int]:
        t0 = time.perf_counter()
        n_facts = 0
        for title, text in recs:
            n_facts += len(extract_facts(title, text, prefilter=prefilter))
            extract_hours(text)
        return time.perf_counter() - t0, n_facts

    # Baseline in the same process: every rule's regex on every sentence (no prefilter).
    runs = {True: [], False: []}  # type: dict[bool, list[float]]
    for _ in range(3):
        for pf in (True, False):
            secs, n_facts = run(pf)
            runs[pf].append(secs)
    secs, base = statistics.median(runs[True]), statistics.median(runs[False])
    return {"ads": len(recs), "us_per_ad": round(secs / len(recs) * 1e6, 1),
            "us_per_ad_without_prefilter": round(base / len(recs) * 1e6, 1),
            "prefilter_speedup": round(base / secs, 2),
            "facts_per_ad": round(n_facts / len(recs), 2),
            "projected_s_at_size": round(secs / len(recs) * ctx["size"], 1)}


def _profiles(ctx: dict[str, Any]) -> list[dict[str, Any]]:
    path = Path(ctx["cache"]) / "profiles.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _matcher_class() -> Any:
    try:
        from ipsmatch.matcher import Matcher  # type: ignore[import-not-found]
    except ImportError as exc:
        return exc
    return Matcher


def phase_index_build(ctx: dict[str, Any]) -> dict[str, Any]:
    """The first Matcher.open after a refresh: loads the ads and fits (and saves) the indexes."""
    Matcher = _matcher_class()
    if isinstance(Matcher, Exception):
        return {"available": False,
                "note": f"matcher not available in this checkout ({Matcher}); no figures"}
    t0 = time.perf_counter()
    m = Matcher.open(ctx["db_url"])
    return {"available": True, "seconds": round(time.perf_counter() - t0, 2),
            "vacancies": len(m.vacancies), "semantic": m.encoder is not None,
            "peak_rss_mb": round(peak_rss_mb())}


def phase_matcher(ctx: dict[str, Any]) -> dict[str, Any]:
    """A warm Matcher.open (indexes on disk), then suggest and search over the profiles."""
    Matcher = _matcher_class()
    if isinstance(Matcher, Exception):
        return {"available": False,
                "note": f"matcher not available in this checkout ({Matcher}); no figures"}
    t0 = time.perf_counter()
    m = Matcher.open(ctx["db_url"])
    load_s = time.perf_counter() - t0
    rss_loaded = peak_rss_mb()
    profiles = _profiles(ctx)
    m.suggest(profiles[0], limit=20)  # first call: lazy caches, not a steady-state figure
    sugg, srch = [], []
    n_results = 0
    for p in profiles:
        t = time.perf_counter()
        res = m.suggest(p, limit=20)
        sugg.append(time.perf_counter() - t)
        n_results += len(res.vacancies)
    for p in profiles:
        t = time.perf_counter()
        m.search(" ".join(p["wishes"]), near=p["home_postcode"], within_km=30, limit=20)
        srch.append(time.perf_counter() - t)
    # A first-time wish: each profile again, with a wish no call has used before (a Danish
    # ESCO alternative label, distinct per profile) in front of its own first wish, so the
    # wish -> occupations step and the query encoding run cold.
    fresh = _fresh_wishes(len(profiles), used={w for p in profiles for w in p["wishes"]})
    first = []
    for p, wish in zip(profiles, fresh, strict=False):
        q = {**p, "wishes": [wish, *p["wishes"][:1]]}
        t = time.perf_counter()
        m.suggest(q, limit=20)
        first.append(time.perf_counter() - t)
    return {"available": True, "load_s": round(load_s, 2), "rss_after_load_mb": round(rss_loaded),
            "semantic": m.encoder is not None,
            "mean_suggestions": round(n_results / len(profiles), 1),
            "suggest": lat_stats(sugg), "suggest_first_wish": lat_stats(first),
            "suggest_all": lat_stats(sugg + first), "search": lat_stats(srch),
            "peak_rss_mb": round(peak_rss_mb())}


def _fresh_wishes(n: int, used: set[str]) -> list[str]:
    """n distinct Danish ESCO alternative labels (seeded sample) none of the profiles uses."""
    import random

    from ipsmatch.taxonomy import load_taxonomy

    labels = sorted({a for c in load_taxonomy().concepts for a in c.alt_da
                     if a and a not in used and len(a) <= 40})
    random.Random(7).shuffle(labels)
    return labels[:n]


def _load_docs(db_url: str) -> list[Any]:
    from ipsmatch.store import Store

    store = Store.open(db_url)
    try:
        return list(store.iter_active_vacancies())
    finally:
        store.close()


def _query_vectors(ctx: dict[str, Any], texts: list[str], queries: list[str]) -> tuple[
        Any, Any, str]:
    """(doc matrix, query matrix, what they are): the matcher's encoder when there is one,
    else random unit vectors of the same shape (a brute-force scan costs the same)."""
    import numpy as np

    try:
        from ipsmatch.text.embed import get_encoder  # type: ignore[import-not-found]

        enc = get_encoder()
        if enc is not None:
            t = time.perf_counter()
            docs = np.asarray(enc.encode(texts), dtype=np.float32)
            secs = time.perf_counter() - t
            return docs, np.asarray(enc.encode(queries), dtype=np.float32), \
                f"{type(enc).__name__} vectors (encoded {len(texts)} ads in {secs:.1f} s)"
    except ImportError:
        pass
    dim = int(ctx.get("dim", 256))
    rng = np.random.default_rng(0)
    docs = rng.standard_normal((len(texts), dim), dtype=np.float32)
    docs /= np.linalg.norm(docs, axis=1, keepdims=True)
    q = rng.standard_normal((len(queries), dim), dtype=np.float32)
    return docs, q, f"random unit vectors, dim {dim} (no encoder in this checkout)"


def phase_baselines(ctx: dict[str, Any]) -> dict[str, Any]:
    import numpy as np

    from ipsmatch.geo import distance_km, postcode_info

    docs = _load_docs(ctx["db_url"])
    profiles = _profiles(ctx)
    queries = [" ".join(p["wishes"]) for p in profiles]
    out: dict[str, Any] = {"docs": len(docs)}

    # NumPy brute force: one dot product with every vector, then the top 20.
    texts = [f"{v.title}. {v.text[:500]}" for v in docs]
    mat, qv, what = _query_vectors(ctx, texts, queries)
    times = []
    for q in qv:
        t = time.perf_counter()
        scores = mat @ q
        top = np.argpartition(-scores, 20)[:20]
        top[np.argsort(-scores[top])]
        times.append(time.perf_counter() - t)
    out["numpy_bruteforce"] = {**lat_stats(times), "vectors": what,
                               "matrix_mb": round(mat.nbytes / 2**20, 1)}

    # SQLite FTS5 over the same titles and texts, queried with the wish terms.
    with tempfile.TemporaryDirectory() as tmp:
        con = sqlite3.connect(Path(tmp) / "fts.db")
        t = time.perf_counter()
        con.execute("CREATE VIRTUAL TABLE ads USING fts5(title, text)")
        con.executemany("INSERT INTO ads(rowid, title, text) VALUES (?, ?, ?)",
                        ((v.id, v.title, v.text) for v in docs))
        con.commit()
        build = time.perf_counter() - t
        times = []
        hits = 0
        for q in queries:
            terms = [w for w in re.findall(r"\w+", q.lower()) if len(w) > 2]
            match = " OR ".join(f'"{w}"' for w in terms) or '""'
            t = time.perf_counter()
            hits += len(con.execute("SELECT rowid FROM ads WHERE ads MATCH ? ORDER BY rank "
                                    "LIMIT 20", (match,)).fetchall())
            times.append(time.perf_counter() - t)
        con.close()
        out["sqlite_fts5"] = {**lat_stats(times), "build_s": round(build, 2),
                              "mean_hits": round(hits / len(queries), 1),
                              "size_mb": round(dir_size(Path(tmp)) / 2**20, 1)}

    # Naive pure-Python scoring: distance + hours check + term overlap, ad by ad.
    lowered = [(v, f"{v.title} {v.text}".lower()) for v in docs]
    times = []
    for p in profiles[: ctx.get("naive_profiles", 30)]:
        info = postcode_info(p["home_postcode"])
        home = info.point if info else None
        terms = [w for w in re.findall(r"\w+", " ".join(p["wishes"]).lower()) if len(w) > 2]
        hmin, hmax = p["hours"]["min"], p["hours"]["max"]
        t = time.perf_counter()
        scored = []
        for v, low in lowered:
            if home and v.lat is not None:
                d = distance_km(home, (v.lat, v.lon))
                if d > 40:
                    continue
            if v.hours_min is not None and v.hours_min > hmax:
                continue
            overlap = sum(1 for w in terms if w in low)
            if overlap:
                scored.append((overlap, -(v.hours_max or 37 - hmin), v.id))
        scored.sort(reverse=True)
        times.append(time.perf_counter() - t)
    out["naive_python"] = lat_stats(times)
    out["peak_rss_mb"] = round(peak_rss_mb())
    return out


PHASES = {"full_refresh": phase_full_refresh, "incremental": phase_incremental,
          "facts": phase_facts, "index_build": phase_index_build, "matcher": phase_matcher,
          "baselines": phase_baselines}


def run_phase(name: str, ctx: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """Run one phase in a fresh interpreter and return its JSON result."""
    ctx_file = workdir / "ctx.json"
    ctx_file.write_text(json.dumps(ctx))
    res_file = workdir / f"{name}.result.json"
    res_file.unlink(missing_ok=True)
    env = {**os.environ, "XDG_DATA_HOME": str(workdir / "xdg"), "PYTHONPATH": os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--phase", name, "--ctx", str(ctx_file),
                           "--result", str(res_file)], env=env, capture_output=True, text=True)
    if proc.returncode != 0 or not res_file.exists():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        return {"error": f"phase {name} failed (exit {proc.returncode})", "stderr": tail,
                "wall_s": round(time.perf_counter() - t0, 2)}
    return json.loads(res_file.read_text())


# --- cold CLI -------------------------------------------------------------------------------

def cold_cli(db_url: str, cache: Path, workdir: Path, runs: int = 5) -> dict[str, Any]:
    env = {**os.environ, "IPSMATCH_DB": db_url, "XDG_DATA_HOME": str(workdir / "xdg"),
           "PYTHONPATH": os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])}
    base = [sys.executable, "-m", "ipsmatch"]

    def median_of(args: list[str]) -> dict[str, Any]:
        times, rc = [], 0
        for _ in range(runs):
            t = time.perf_counter()
            p = subprocess.run([*base, *args], env=env, capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            rc = rc or p.returncode
        return {"median_s": round(statistics.median(times), 3), "runs": runs, "exit": rc}

    out = {"help": median_of(["--help"])}
    probe = subprocess.run([*base, "suggest", "--help"], env=env, capture_output=True, text=True)
    if probe.returncode != 0:
        out["suggest"] = {"note": "`ipsmatch suggest` not available in this checkout"}
        return out
    profile = json.loads((cache / "profiles.jsonl").read_text().splitlines()[0])
    pfile = cache / "profile.json"
    pfile.write_text(json.dumps(profile, ensure_ascii=False))
    out["suggest"] = median_of(["suggest", "--profile", str(pfile)])
    return out


# --- databases ------------------------------------------------------------------------------

def prepare_db(kind: str, url: str | None, size: int, workdir: Path, *, reuse: bool = False
               ) -> tuple[str, Any]:
    """A fresh empty database (or the previous run's, with ``reuse``); returns (url, size_fn)."""
    if kind == "sqlite":
        path = workdir / f"bench_{size}.db"
        for suffix in ("", "-wal", "-shm"):
            if not reuse:
                Path(f"{path}{suffix}").unlink(missing_ok=True)

        def sqlite_size() -> int:
            return sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal")
                       if Path(f"{path}{s}").exists())
        return f"sqlite:///{path}", sqlite_size
    import sqlalchemy as sa

    url = url or os.environ.get("IPSMATCH_BENCH_PG_URL") or os.environ.get("IPSMATCH_TEST_PG_URL")
    if not url:
        raise SystemExit("--db postgresql needs --db-url (or IPSMATCH_BENCH_PG_URL); e.g. run "
                         "through scripts/with-postgres.sh")
    name = f"ipsmatch_bench_{size}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    if not reuse:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    db_url = sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)

    def pg_size() -> int:
        with admin.connect() as conn:
            return int(conn.execute(sa.text("SELECT pg_database_size(:n)"), {"n": name}
                                    ).scalar_one())
    return db_url, pg_size


# --- report ---------------------------------------------------------------------------------

TARGETS_100K = {"incremental_s": 60, "full_refresh_s": 900, "suggest_p50_ms": 50,
                "suggest_p95_ms": 100, "peak_rss_mb": 1536, "matcher_load_s": 1.5,
                "cold_suggest_s": 2.0}


def render(r: dict[str, Any]) -> str:
    rows: list[tuple[str, str]] = []

    def add(label: str, value: Any) -> None:
        rows.append((label, str(value)))

    g, f, i = r["generate"], r["full_refresh"], r["incremental"]
    def occ(d: Any) -> str:
        if not isinstance(d, dict):
            return str(d)
        if "note" in d:
            return d["note"]
        return (f"{d['seconds']} s for {d['ads']:,} ads ({d.get('attached', 0):,} got an "
                f"occupation)")

    add("vacancies / employers", f"{r['size']:,} / {g.get('employers', '?'):,}")
    add("feed on disk (JSON Lines)", f"{g['feed_bytes'] / 2**20:,.0f} MB")
    if "error" in f:
        add("full refresh", f["error"])
    else:
        add("full refresh", f"{f['seconds']} s ({f['ads_per_s']:,} ads/s; read+facts "
            f"{f['read_s']} s, write {f['write_s']} s), RSS {f['peak_rss_mb']} MB")
        add("  of which occupations", occ(f["occupations"]))
    fx = r.get("facts", {})
    if "us_per_ad" in fx:
        add("  fact extraction alone", f"{fx['us_per_ad']} µs/ad ({fx['projected_s_at_size']} s "
            f"at this size)")
        if "prefilter_speedup" in fx:
            add("    without the rules' prefilter", f"{fx['us_per_ad_without_prefilter']} µs/ad "
                f"(prefilter {fx['prefilter_speedup']}x faster)")
    if "error" in i:
        add("incremental refresh", i["error"])
    else:
        add("incremental refresh (3 %)", f"{i['seconds']} s (+{i['added']} ~{i['updated']} "
            f"-{i['expired']}), RSS {i['peak_rss_mb']} MB")
        add("  of which occupations", occ(i["occupations"]))
    ib = r.get("index_build", {})
    if ib.get("available"):
        add("index build (first open)", f"{ib['seconds']} s, RSS {ib['peak_rss_mb']} MB")
    m = r["matcher"]
    if m.get("available"):
        add("matcher load", f"{m['load_s']} s, RSS {m['peak_rss_mb']} MB")
        add("suggest p50 / p95", f"{m['suggest']['p50_ms']} / {m['suggest']['p95_ms']} ms")
        if "suggest_first_wish" in m:
            f, a = m["suggest_first_wish"], m["suggest_all"]
            add("  with a first-time wish", f"{f['p50_ms']} / {f['p95_ms']} ms (all calls "
                f"{a['p50_ms']} / {a['p95_ms']} ms)")
        add("search p50 / p95", f"{m['search']['p50_ms']} / {m['search']['p95_ms']} ms")
    else:
        add("matcher", m.get("note") or m.get("error"))
    b = r["baselines"]
    if "error" not in b:
        for key, label in (("numpy_bruteforce", "NumPy brute force"),
                           ("sqlite_fts5", "SQLite FTS5"), ("naive_python", "naive Python loop")):
            add(f"{label} p50 / p95", f"{b[key]['p50_ms']} / {b[key]['p95_ms']} ms")
        add("  vectors", b["numpy_bruteforce"]["vectors"])
    else:
        add("baselines", b["error"])
    for key, val in r.get("ratios", {}).items():
        add(f"ratio {key}", val)
    c = r["cold_cli"]
    add("cold `ipsmatch --help`", f"{c['help']['median_s']} s (median of {c['help']['runs']})")
    add("cold `ipsmatch suggest`", c["suggest"].get("median_s", c["suggest"].get("note")))
    add("index size on disk", f"{r['disk']['total_mb']} MB (database {r['disk']['db_mb']} MB, "
        f"index files {r['disk']['index_dirs_mb']} MB)")
    w = max(len(a) for a, _ in rows)
    head = (f"ipsmatch scale benchmark: {r['size']:,} vacancies on {r['db']} | "
            f"{r['machine']['cpu']}, {r['machine']['cores']} cores, "
            f"{r['machine']['ram_mb'] // 1024} GB, Python {r['machine']['python']}")
    return "\n".join([head, "-" * len(head), *(f"{a:<{w}}  {b_}" for a, b_ in rows)])


def ratios(r: dict[str, Any]) -> dict[str, str]:
    m, b = r["matcher"], r["baselines"]
    if not m.get("available") or "error" in b:
        return {}
    out = {}
    for key in ("numpy_bruteforce", "sqlite_fts5", "naive_python"):
        base = b[key]["p50_ms"]
        out[f"suggest p50 / {key} p50"] = f"{m['suggest']['p50_ms'] / base:.2f}x" if base else "-"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--db-url", help="PostgreSQL server URL (a fresh database is created on it)")
    ap.add_argument("--profiles", type=int, default=300)
    ap.add_argument("--out", type=Path, help="write the JSON result here")
    ap.add_argument("--cache", type=Path, default=HERE / ".cache")
    ap.add_argument("--workdir", type=Path, help="where the database lives (default: a temp dir)")
    ap.add_argument("--skip", default="", help="comma-separated phases to skip: full_refresh,"
                    "incremental,facts,matcher,baselines,cold_cli")
    ap.add_argument("--reuse-db", action="store_true",
                    help="keep the database already in --workdir (e.g. with --skip "
                    "full_refresh,incremental to re-measure the matcher only)")
    ap.add_argument("--merge-from", type=Path,
                    help="take the skipped phases' results from this earlier JSON result")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--ctx", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)

    if a.phase:  # a child: run one phase, write its result
        ctx = json.loads(a.ctx.read_text())
        a.result.write_text(json.dumps(PHASES[a.phase](ctx)))
        return 0

    skip = {s.strip() for s in a.skip.split(",") if s.strip()}
    cache = a.cache / f"synth-{a.size}-seed{a.seed}"
    workdir = a.workdir or Path(tempfile.mkdtemp(prefix="ipsmatch-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"generating {a.size:,} ads into {cache} ...", file=sys.stderr)
    gen = generate(a.size, a.seed, cache, a.profiles)
    if a.reuse_db and not a.workdir:
        raise SystemExit("--reuse-db needs --workdir (where the earlier run left its database)")
    db_url, db_size = prepare_db(a.db, a.db_url, a.size, workdir, reuse=a.reuse_db)
    earlier = json.loads(a.merge_from.read_text()) if a.merge_from else {}
    upgrade: dict[str, Any] = {}
    if a.reuse_db:  # the code may have gained migrations since that database was built
        from ipsmatch.store import Store

        t = time.perf_counter()
        with Store.open(db_url, create=True) as st:
            before, after = st.upgrade()
        upgrade = {"from": before, "to": after, "seconds": round(time.perf_counter() - t, 2)}
    ctx = {"size": a.size, "cache": str(cache), "gen": gen, "db_url": db_url}
    r: dict[str, Any] = {"size": a.size, "seed": a.seed, "db": a.db, "machine": machine(),
                         "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
                         "generate": gen, "targets_100k": TARGETS_100K}
    if upgrade:
        r["schema_upgrade"] = upgrade
    for name in PHASES:
        if name in skip:
            r[name] = earlier.get(name) or {"skipped": True, "error": "skipped"}
            continue
        print(f"phase {name} ...", file=sys.stderr)
        t = time.perf_counter()
        r[name] = run_phase(name, ctx, workdir)
        print(f"  {time.perf_counter() - t:.1f} s", file=sys.stderr)
    r["ratios"] = ratios(r)
    r["cold_cli"] = cold_cli(db_url, cache, workdir) if "cold_cli" not in skip else (
        earlier.get("cold_cli") or {"help": {"median_s": "-", "runs": 0},
                                    "suggest": {"note": "skipped"}})
    index_dirs = [p for p in (workdir / "xdg" / "ipsmatch" / "index",) if p.exists()]
    db_bytes = db_size()
    r["disk"] = {"db_mb": round(db_bytes / 2**20, 1),
                 "index_dirs_mb": round(sum(dir_size(p) for p in index_dirs) / 2**20, 1),
                 "total_mb": round((db_bytes + sum(dir_size(p) for p in index_dirs)) / 2**20, 1)}
    print(render(r))
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps(r, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {a.out}", file=sys.stderr)
    if not a.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
