"""Facts benchmark (issue #13, part 1): what ipsmatch reads from ads, against hand labels.

Labels: ``benchmarks/data/facts/`` (see its README: real Jobnet ads, Kompetencer sentences,
texts we wrote, a fixed dev / held-back split, the issue's named examples apart).

Each Jobnet ad goes through the real reader (search + detail record merged, Jobnet's own
fields included); a written text with ``fields`` goes through the Jobnet reader as a detail
record with those time boxes ticked; ``contacts`` become team-contact facts merged the way the
matcher merges them; Kompetencer sentences and other written texts are read as ad text. Per
fact key the resolved value (true / false / conflict / unknown) is compared with the label:

- precision = correct stated values / values the engine states (an invented fact counts);
- recall = correct stated values / values the ad states;
- contradiction = the engine says the opposite of what the ad states (true vs false), or a
  pass (false) where the ad leaves it open / disagrees ("conflict");
- quote ok = of the correct ones, how many quote the labelled phrase.

    python benchmarks/facts_eval.py                       # figures beside the stored baseline

The figures are printed twice: under the labels as first written, and under the labels with
the errata of a blind audit applied (``benchmarks/data/facts/errata.json``: a reviewer who saw
the conventions and the items, not the engine, listed labels that break the written
conventions, in both directions; committed before any figure used them).
    python benchmarks/facts_eval.py --write-baseline      # (only for the baseline commit)

Results: ``benchmarks/results/facts_eval.json`` (and ``facts_baseline.json``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ipsmatch.domain import Fact, Vacancy  # noqa: E402
from ipsmatch.feeds import read_feeds  # noqa: E402
from ipsmatch.feeds.finish import finish  # noqa: E402
from ipsmatch.feeds.jobnet import read_jobnet  # noqa: E402

LABELS = REPO / "benchmarks" / "data" / "facts"
SHARED = REPO.parent / "shared" / "data"
RESULTS = REPO / "benchmarks" / "results"

#: Every key the labels use, in report order; the must-have facts first.
MUST_KEYS = ("night", "evening", "weekend", "shifts", "customer_contact", "heavy_lifting")
KEYS = (*MUST_KEYS, "day", "standing", "high_tempo", "low_tempo", "flexible_start",
        "part_time_possible", "quiet_workplace", "fixed_tasks", "mentor", "extra_breaks",
        "driving_licence", "own_car", "truck_licence", "forklift_certificate",
        "criminal_record", "language_required", "shift_choice")
STATED = (True, False, "conflict")


def split_of(key: str) -> str:
    """The fixed split: first byte of sha1(key) even -> dev, odd -> held."""
    return "dev" if hashlib.sha1(key.encode("utf-8")).digest()[0] % 2 == 0 else "held"


def kompetencer_sentences() -> list[str]:
    out: list[str] = []
    for name in ("kompetencer_danish_train.conll", "kompetencer_danish_test.conll"):
        cur: list[str] = []
        for line in (SHARED / "kompetencer_da" / name).read_text(encoding="utf-8").splitlines():
            tok = line.split("\t")[0].strip()
            if tok:
                cur.append(tok)
            elif cur:
                out.append(" ".join(cur))
                cur = []
        if cur:
            out.append(" ".join(cur))
    return out


def danish_date(d: date) -> str:
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def _text_vacancy(ident: str, text: str, fields: dict[str, bool] | None) -> Vacancy:
    """The written text as a Jobnet detail record (with its ticked time boxes), read by the
    real reader, so field facts and text facts meet as they do in a refresh."""
    fields = fields or {}
    rec = {"JobPositionPosting": {
        "Id": ident, "HiringOrg": {"Name": "Skrevet eksempel"},
        "JobPositionInformation": {"PositionTitle": "Medarbejder", "Purpose": text},
        "ApplicationDetails": {"DailyWorkTimeDay": fields.get("day", False),
                               "DailyWorkTimeEvening": fields.get("evening", False),
                               "DailyWorkTimeNight": fields.get("night", False),
                               "DailyWorkTimeWeekend": fields.get("weekend", False)}}}
    drafts, _, _ = read_jobnet(json.dumps(rec, ensure_ascii=False), f"{ident}.json")
    v = finish(drafts[0], "jobnet")
    assert v is not None, drafts[0].errors
    return v


def _with_contacts(v: Vacancy, contacts: list[dict[str, Any]]) -> Vacancy:
    from ipsmatch.jobdev.attributes import merge_facts

    facts = []
    for c in contacts:
        d = date.fromisoformat(c["date"])
        facts.append(Fact(c["key"], bool(c["value"]),
                          f"{c['consultant']} ved kontakt {danish_date(d)}: {c['note']}",
                          source="contact"))
    v.facts = merge_facts(v.facts, facts)
    return v


def load_items() -> list[dict[str, Any]]:
    """(key, origin, split, vacancy, labels, issue_example) for every labelled item."""
    items: list[dict[str, Any]] = []
    sample = SHARED / "jobnet_sample"
    batch = read_feeds(sorted(sample.glob("*.json")))
    by_id = {v.external_id: v for v in batch.vacancies}
    for it in json.loads((LABELS / "jobnet.json").read_text(encoding="utf-8"))["items"]:
        key = f"jobnet:{it['id']}"
        items.append({"key": key, "origin": "jobnet", "vacancy": by_id[it["id"]],
                      "labels": it["labels"], "issue": it.get("issue_example")})
    sents = kompetencer_sentences()
    for it in json.loads((LABELS / "kompetencer.json").read_text(encoding="utf-8"))["items"]:
        hits = {s for s in sents if s.startswith(it["prefix"])}
        assert len(hits) == 1, it["prefix"]
        (text,) = hits
        key = f"kompetencer:{it['prefix']}"
        items.append({"key": key, "origin": "kompetencer",
                      "vacancy": _text_vacancy("k", text, None), "labels": it["labels"],
                      "issue": it.get("issue_example")})
    for it in json.loads((LABELS / "written.json").read_text(encoding="utf-8"))["items"]:
        v = _text_vacancy(it["id"], it["text"], it.get("fields"))
        if it.get("contacts"):
            v = _with_contacts(v, it["contacts"])
        items.append({"key": f"written:{it['id']}", "origin": "written", "vacancy": v,
                      "labels": it["labels"], "issue": it.get("issue_example")})
    for it in items:
        it["split"] = "issue" if it["issue"] else split_of(it["key"])
    return items


def errata() -> list[dict[str, Any]]:
    path = LABELS / "errata.json"
    return json.loads(path.read_text(encoding="utf-8"))["errata"] if path.exists() else []


def corrected(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items with the audit's errata applied (a copy; the originals are untouched). An
    erratum names its item by key and fact; ``corrected`` null makes the fact unknown."""
    by_key = {it["key"]: it for it in items}
    out = {k: dict(it, labels=dict(it["labels"])) for k, it in by_key.items()}
    for e in errata():
        it = out.get(e["item"])
        if it is None:
            raise SystemExit(f"errata.json: item {e['item']!r} is not in the labels")
        if it["labels"].get(e["fact"]) != e["label"]:
            raise SystemExit(f"errata.json: {e['item']} {e['fact']}: the erratum was written "
                             f"against {e['label']!r}, the label is now "
                             f"{it['labels'].get(e['fact'])!r}")
        if e["corrected"] is None:
            it["labels"].pop(e["fact"], None)
        else:
            it["labels"][e["fact"]] = e["corrected"]
    return list(out.values())


def resolve(v: Vacancy, key: str) -> tuple[Any, list[Fact], str | None]:
    """(value, facts, languages) the engine states for ``key``: True / False / 'conflict' /
    None. Uses the library's resolver when it has one (ipsmatch.needs.fact_value), else the
    rule the needs used before it: a True fact anywhere wins, then a False one."""
    try:
        from ipsmatch.needs import fact_value  # type: ignore[attr-defined]
    except ImportError:
        fact_value = None
    if fact_value is not None:
        st = fact_value(v, key)
        langs = getattr(st, "languages", None)
        return st.value, list(st.facts), langs
    from ipsmatch.needs import stated

    for value in (True, False):
        hit = stated(v, key, value)
        if hit is not None:
            facts = [f for f in v.facts if f.key == key and f.value is value]
            return value, facts, None
    return None, [], None


def _norm(s: str) -> str:
    return " ".join(s.casefold().replace("–", "-").split())


def score(items: list[dict[str, Any]]) -> dict[str, Any]:
    groups: dict[str, dict[str, dict[str, Any]]] = defaultdict(
        lambda: defaultdict(lambda: {"tp": 0, "pred": 0, "gold": 0, "contra": 0,
                                     "quote_ok": 0, "errors": []}))
    for it in items:
        v = it["vacancy"]
        for key in KEYS:
            lab = it["labels"].get(key)
            gold = lab[0] if lab else None
            pred, facts, langs = resolve(v, key)
            for g in (it["split"], "all" if it["split"] != "issue" else "issue_all"):
                s = groups[g][key]
                s["gold"] += gold in STATED
                s["pred"] += pred in STATED
                ok = pred in STATED and pred == gold
                if ok and key == "language_required" and lab and len(lab) > 2 \
                        and langs is not None and langs != lab[2]:
                    ok = False
                contra = (gold is True and pred is False) or (gold is False and pred is True) \
                    or (gold == "conflict" and pred is False)
                if ok:
                    s["tp"] += 1
                    quotes = [q for q in lab[1].split(" | ")] if lab else []
                    phrases = [_norm(f.phrase) for f in facts]
                    if any(_norm(q) in p or p in _norm(q) for q in quotes for p in phrases):
                        s["quote_ok"] += 1
                s["contra"] += contra
                if (pred != gold) and (pred in STATED or gold in STATED) and g != "all" \
                        and g != "issue_all":
                    s["errors"].append({"item": it["key"][:70], "gold": gold, "pred": pred,
                                        "phrase": facts[0].phrase[:90] if facts else None,
                                        "contradiction": contra})
    out: dict[str, Any] = {}
    for g, per in groups.items():
        out[g] = {}
        for key in KEYS:
            s = per[key]
            out[g][key] = {
                "precision": round(s["tp"] / s["pred"], 3) if s["pred"] else None,
                "recall": round(s["tp"] / s["gold"], 3) if s["gold"] else None,
                "stated": s["gold"], "predicted": s["pred"], "correct": s["tp"],
                "contradictions": s["contra"], "quote_ok": s["quote_ok"],
                "errors": s["errors"]}
        must = [per[k] for k in MUST_KEYS]
        tp, pred, gold = (sum(s[x] for s in must) for x in ("tp", "pred", "gold"))
        alls = [per[k] for k in KEYS]
        out[g]["_summary"] = {
            "must_precision": round(tp / pred, 3) if pred else None,
            "must_recall": round(tp / gold, 3) if gold else None,
            "all_precision": round(sum(s["tp"] for s in alls) / max(1, sum(s["pred"]
                                                                          for s in alls)), 3),
            "all_recall": round(sum(s["tp"] for s in alls) / max(1, sum(s["gold"]
                                                                       for s in alls)), 3),
            "contradictions": sum(s["contra"] for s in alls)}
    return out


def _fmt(x: Any) -> str:
    return "  –  " if x is None else f"{x:.2f}"


def report(res: dict[str, Any], base: dict[str, Any] | None, n: dict[str, int]) -> str:
    lines = [f"items: dev {n.get('dev', 0)}, held-back {n.get('held', 0)}, "
             f"issue examples {n.get('issue', 0)}",
             "",
             f"{'fact':22} | {'dev P':>5} {'R':>5} {'n':>3} {'C':>2} | {'held P':>6} {'R':>5} "
             f"{'n':>3} {'C':>2} | {'issue P':>7} {'R':>5} {'C':>2} | {'baseline all P':>14} "
             f"{'R':>5} {'C':>2}"]
    for key in (*KEYS, "_summary"):
        row = [f"{key:22}"]
        for g, w in (("dev", 5), ("held", 6), ("issue", 7)):
            s = res.get(g, {}).get(key)
            if s is None:
                row.append(f"{'':>{w}} {'':>5} {'':>3} {'':>2}")
                continue
            if key == "_summary":
                row.append(f"{_fmt(s['must_precision']):>{w}} {_fmt(s['must_recall']):>5} "
                           f"{'':>3} {s['contradictions']:>2}")
            else:
                row.append(f"{_fmt(s['precision']):>{w}} {_fmt(s['recall']):>5} "
                           f"{s['stated']:>3} {s['contradictions']:>2}")
        b = (base or {}).get("all", {}).get(key)
        if b is None:
            row.append("")
        elif key == "_summary":
            row.append(f"{_fmt(b['must_precision']):>14} {_fmt(b['must_recall']):>5} "
                       f"{b['contradictions']:>2}")
        else:
            row.append(f"{_fmt(b['precision']):>14} {_fmt(b['recall']):>5} "
                       f"{b['contradictions']:>2}")
        lines.append(" | ".join(row))
    lines.append("")
    lines.append("_summary row: precision / recall over the must-have facts "
                 f"({', '.join(MUST_KEYS)}); C = contradictions over all facts.")
    for g in ("dev", "held", "issue"):
        s = res.get(g, {}).get("_summary")
        if s:
            lines.append(f"{g}: must-have P {_fmt(s['must_precision'])} R "
                         f"{_fmt(s['must_recall'])}; all facts P {_fmt(s['all_precision'])} R "
                         f"{_fmt(s['all_recall'])}; contradictions {s['contradictions']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write-baseline", action="store_true",
                    help="store these figures as the baseline (the rules before issue #13)")
    ap.add_argument("--errors", choices=("dev", "held", "issue"), action="append", default=[],
                    help="list the disagreements of this group")
    ap.add_argument("--corrected", action="store_true",
                    help="with --errors: list them under the corrected labels")
    args = ap.parse_args(argv)
    if not (SHARED / "jobnet_sample").exists():
        print(f"shared data not found at {SHARED}", file=sys.stderr)
        return 1
    items = load_items()
    res = score(items)
    res_fixed = score(corrected(items))
    n: dict[str, int] = defaultdict(int)
    for it in items:
        n[it["split"]] += 1
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    payload = {"commit": commit, "items": dict(n), "groups": res,
               "groups_corrected": res_fixed, "errata": len(errata())}
    base_path = RESULTS / "facts_baseline.json"
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.write_baseline:
        base_path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    else:
        (RESULTS / "facts_eval.json").write_text(
            json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    base = json.loads(base_path.read_text(encoding="utf-8"))["groups"] \
        if base_path.exists() else None
    print("== labels as first written ==")
    print(report(res, base, n))
    print(f"\n== labels with the {len(errata())} errata of the blind audit applied "
          "(benchmarks/data/facts/errata.json) ==")
    print(report(res_fixed, base, n))
    for g in args.errors:
        print(f"\n--- {g}: disagreements{' (corrected labels)' if args.corrected else ''}")
        for key in KEYS:
            for e in (res_fixed if args.corrected else res).get(g, {}).get(key, {}).get(
                    "errors", []):
                print(f"{key:20} {'CONTRA ' if e['contradiction'] else ''}{e['item']}: "
                      f"gold {e['gold']} pred {e['pred']} ({e['phrase']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
