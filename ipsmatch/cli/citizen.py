"""``ipsmatch citizen``: add, list, show, edit and forget stored citizen profiles."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from ipsmatch.cli.common import emit_records, format_option, health_force_option, settings
from ipsmatch.cli.index import open_store
from ipsmatch.errors import StoreError, UsageError
from ipsmatch.messages import plural

if TYPE_CHECKING:
    from ipsmatch.domain import CitizenProfile
    from ipsmatch.store import Store


def _save(store: Store, profile: CitizenProfile, allow_health: bool = False) -> None:
    from ipsmatch.profile import profile_to_dict

    consultant = profile.consultant or settings().consultant
    store.save_citizen(profile.id, profile_to_dict(profile), consultant, profile.start_date,
                       allow_health=allow_health)
    store.log_access(settings().consultant, "save", profile.id)


@click.group("citizen")
def citizen_group() -> None:
    """Stored citizen profiles (pseudonymous: a case reference, never a CPR number)."""


@citizen_group.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@health_force_option
def add_cmd(file: str, allow_health: bool) -> None:
    """Validate a profile file (JSON/TOML) and store it."""
    from ipsmatch.profile import load_profile

    profile = load_profile(file)
    _save(open_store(), profile, allow_health)
    click.echo(f"Saved citizen {profile.id}.")


@citizen_group.command("list")
@format_option()
def list_cmd(fmt: str) -> None:
    """List stored citizens."""
    from ipsmatch.output import citizen_row

    rows = [citizen_row(rec) for rec in open_store().list_citizens()]
    emit_records(rows, fmt, ("id", "home_postcode", "wishes", "needs", "consultant"))


@citizen_group.command("show")
@click.argument("citizen_id")
def show_cmd(citizen_id: str) -> None:
    """Print a stored profile in the file format (JSON)."""
    from ipsmatch.cli.suggest import load_citizen
    from ipsmatch.profile import as_profile, profile_to_dict

    profile = as_profile(load_citizen(settings(), citizen_id, action="show"))
    click.echo(json.dumps(profile_to_dict(profile), ensure_ascii=False, indent=2))


def _parse_value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


LIST_KEYS = ("wishes", "avoid", "needs", "languages")


def apply_set(d: dict[str, Any], assignment: str) -> None:
    """Apply ``key=value`` (dotted keys; JSON values; lists comma-separated) to a profile dict."""
    key, sep, raw = assignment.partition("=")
    key = key.strip()
    if not sep or not key:
        raise UsageError(f"--set {assignment!r} is not key=value",
                         hint="e.g. --set travel.max_minutes=30 or --set wishes=lager,kantine")
    if key == "id":
        raise UsageError("the id cannot be changed with --set",
                         hint="add the profile under the new id and forget the old one")
    value = _parse_value(raw)
    if key in LIST_KEYS and isinstance(value, str):
        value = [x.strip() for x in value.split(",") if x.strip()]
    target = d
    parts = key.split(".")
    for p in parts[:-1]:
        nxt = target.setdefault(p, {})
        if not isinstance(nxt, dict):
            raise UsageError(f"--set {key}: {p} is not a table")
        target = nxt
    target[parts[-1]] = value


@citizen_group.command("edit")
@click.argument("citizen_id")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Change one field, e.g. hours.max=15 (repeatable).")
@health_force_option
def edit_cmd(citizen_id: str, file: str | None, sets: tuple[str, ...],
             allow_health: bool) -> None:
    """Replace a stored profile from FILE, or change fields with --set key=value."""
    from ipsmatch.profile import (
        as_profile,
        load_profile,
        profile_from_dict,
        profile_to_dict,
    )

    if (file is None) == (not sets):
        raise UsageError("give either FILE or --set key=value")
    store = open_store()
    if file:
        profile = load_profile(file)
        if profile.id != citizen_id:
            raise UsageError(f"{file} has id {profile.id!r}, not {citizen_id!r}")
    else:
        d = profile_to_dict(as_profile(store.get_citizen(citizen_id).profile))
        for s in sets:
            apply_set(d, s)
        profile = profile_from_dict(d)
    _save(store, profile, allow_health)
    click.echo(f"Updated citizen {profile.id}.")


@citizen_group.command("forget")
@click.argument("citizen_id", required=False)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--checkpoint", "checkpoint_only", is_flag=True,
              help="Only finish an earlier forget whose removed text was left in the "
                   "database's write-ahead log (SQLite).")
def forget_cmd(citizen_id: str | None, yes: bool, checkpoint_only: bool) -> None:
    """Delete a citizen's profile and personal records (right to erasure).

    The access log keeps who looked and when under a random tag, with a `forget` entry naming
    you (IPSMATCH_CONSULTANT). Linked employer contacts keep the employer facts (date, kind,
    what was learned) and lose the link, note, outcome and next step."""
    store = open_store()
    if checkpoint_only:
        if citizen_id:
            raise UsageError("--checkpoint takes no citizen id")
        if not store.checkpoint():
            raise StoreError("the write-ahead log is still in use by another program",
                             hint="close other ipsmatch windows and database viewers, "
                                  "then try again")
        click.echo("Checkpoint done: removed text is no longer in the write-ahead log.")
        return
    if not citizen_id:
        raise UsageError("give the citizen id to forget", hint="see `ipsmatch citizen list`")
    store.get_citizen(citizen_id)  # an unknown id fails before the question
    if not yes:
        click.confirm(f"Forget citizen {citizen_id} and all records about them?", abort=True)
    counts = store.delete_citizen(citizen_id, consultant=settings().consultant)
    extra = ", ".join(f"{k}: {v}" for k, v in counts.items() if k != "citizens")
    click.echo(f"Forgot citizen {citizen_id}." + (f" ({extra})" if extra else ""))
    n = counts.get("employer_contacts_unlinked", 0)
    if n:
        kept = plural(n, 'employer contact keeps', 'employer contacts keep')
        click.echo(f"{kept} the employer facts (date, kind, what was "
                   "learned); their link to the case, note, outcome and next step are removed.")
