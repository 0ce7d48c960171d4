"""``ipsmatch occupations``: match free text to ESCO occupations / ISCO groups, show a concept."""

from __future__ import annotations

import sys
from typing import Any

import click

from ipsmatch.cli.common import emit_records, format_option, setting_option, settings
from ipsmatch.errors import NotFoundError
from ipsmatch.output import dumps, occupation_matches_json

MATCH_COLUMNS = ("query", "rank", "score", "kind", "label", "uri")


@click.group("occupations")
def occupations_group() -> None:
    """ESCO occupations and ISCO-08 groups: match text to them, look them up."""


def _matcher(semantic: str | None) -> Any:
    from ipsmatch.taxonomy import OccupationMatcher

    s = settings()
    return OccupationMatcher.load(model_dir=s.model_dir, semantic=semantic or s.semantic)


@occupations_group.command("match")
@click.argument("text", nargs=-1)
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Matches per query.")
@format_option(("table", "json", "jsonl"))
@click.option("--kind", type=click.Choice(["occupation", "isco"]), default=None,
              help="Only ESCO occupations or only ISCO groups [default: both].")
@setting_option("semantic")
def match_cmd(text: tuple[str, ...], limit: int, fmt: str, kind: str | None,
              semantic: str | None) -> None:
    """Match TEXT (one query; several words are joined) to occupations.

    With no TEXT, read one query per line from stdin and write one JSON object per line, in
    input order: {"query": ..., "matches": [{"uri", "label", "score", "kind"}, ...]}.
    A blank line gives "matches": [].

    \b
    Examples:
      ipsmatch occupations match "sosu hjælper"
      printf 'lager\\ntruckfører\\n' | ipsmatch occupations match
    """
    matcher = _matcher(semantic)
    if text:
        query = " ".join(text)
        record = occupation_matches_json(query, matcher.match(query, limit=limit, kind=kind))
        if fmt == "table":
            rows = [{"query": query, "rank": i + 1, **d}
                    for i, d in enumerate(record["matches"])]
            emit_records(rows, "table", MATCH_COLUMNS[1:])
        else:
            click.echo(dumps(record, indent=2 if fmt == "json" else None))
        return
    _match_stdin(matcher, limit, kind)


def _match_stdin(matcher: Any, limit: int, kind: str | None) -> None:
    """JSONL in input order; queries are matched in batches so large inputs stream."""
    batch: list[str] = []

    def flush() -> None:
        for q, ms in zip(batch, matcher.match_batch(batch, limit=limit, kind=kind), strict=True):
            click.echo(dumps(occupation_matches_json(q, ms), indent=None))
        batch.clear()

    for line in sys.stdin:
        batch.append(line.rstrip("\r\n"))
        if len(batch) >= 256:
            flush()
    flush()
    sys.stdout.flush()


@occupations_group.command("show")
@click.argument("uri")
@format_option(("table", "json"))
def show_cmd(uri: str, fmt: str) -> None:
    """Show one concept (ESCO occupation or ISCO group URI) with its labels."""
    from ipsmatch.taxonomy import load_taxonomy

    c = load_taxonomy().get(uri.strip())
    if c is None:
        raise NotFoundError(code="occupation.unknown", params={"uri": uri})
    record = {"uri": c.uri, "kind": c.kind, "label": c.label, "label_en": c.label_en,
              "isco": c.isco, "code": c.code, "alt_da": list(c.alt_da), "alt_en": list(c.alt_en)}
    if fmt == "json":
        emit_records([record], "json", ())
        return
    for key in ("uri", "kind", "label", "label_en", "isco", "code"):
        click.echo(f"{key:9} {record[key]}")
    click.echo(f"{'alt_da':9} {' | '.join(c.alt_da)}")
    click.echo(f"{'alt_en':9} {' | '.join(c.alt_en[:12])}"
               + (" …" if len(c.alt_en) > 12 else ""))
