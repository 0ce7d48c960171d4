"""Build ipsmatch/data/esco/esco.json.gz from the shared ESCO CSVs.

Run from the repo root:  python scripts/build_esco_bundle.py [SHARED_DATA_DIR]

The bundle holds, per ESCO occupation, its Danish preferred/alt labels (MELO, MIT), English
preferred/alt labels, ISCO group and ESCO code (Tabiya ESCO v1.1.1 export, CC BY 4.0), and the
619 ISCO-08 groups with Danish and English titles. Descriptions are left out to keep it small.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "ipsmatch" / "data" / "esco" / "esco.json.gz"
OCC_PREFIX = "http://data.europa.eu/esco/occupation/"
ISCO_PREFIX = "http://data.europa.eu/esco/isco/C"


def _split(s: str, sep: str) -> list[str]:
    seen: list[str] = []
    for part in s.split(sep):
        part = " ".join(part.split())
        if part and part not in seen:
            seen.append(part)
    return seen


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build(src: Path) -> dict:
    en_rows = {r["ORIGINURI"]: r for r in _rows(src / "occupations_en_v1.1.1.csv")}
    occupations = []
    for r in _rows(src / "occupations_da.csv"):
        uri = r["conceptUri"]
        assert uri.startswith(OCC_PREFIX), uri
        en = en_rows.get(uri)
        pref_en = r["preferredLabel_en"] or (en["PREFERREDLABEL"] if en else "")
        alt_en = [a for a in _split(en["ALTLABELS"], "\n") if a != pref_en] if en else []
        pref_da = r["preferredLabel_da"].strip()
        occupations.append({
            "id": uri[len(OCC_PREFIX):],
            "da": pref_da,
            "alt_da": [a for a in _split(r["altLabels_da"], " | ") if a != pref_da],
            "en": pref_en,
            "alt_en": alt_en,
            "isco": r["iscoGroup"] or (en["ISCOGROUPCODE"] if en else ""),
            "code": r["escoCode"] or (en["CODE"] if en else ""),
        })
    isco = []
    for r in _rows(src / "isco_groups_da.csv"):
        assert r["conceptUri"] == ISCO_PREFIX + r["iscoCode"], r
        isco.append({"code": r["iscoCode"], "da": r["label_da"].strip(),
                     "alt_da": _split(r["altLabels_da"], " | "), "en": r["label_en"].strip()})
    return {
        "format": 1,
        "source": "ESCO v1.0.8 Danish labels (MELO benchmark, MIT); ESCO v1.1.1 English "
                  "(Tabiya export, CC BY 4.0); ESCO, European Commission",
        "occupation_prefix": OCC_PREFIX,
        "isco_prefix": ISCO_PREFIX,
        "occupations": sorted(occupations, key=lambda o: o["id"]),
        "isco": sorted(isco, key=lambda g: g["code"]),
    }


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data" / "esco_da"
    data = build(src)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # mtime=0 keeps the gzip bytes reproducible.
    with open(OUT, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
        gz.write(raw.encode("utf-8"))
    print(f"{OUT}: {len(data['occupations'])} occupations, {len(data['isco'])} ISCO groups, "
          f"{OUT.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
