"""API tokens (ipsmatch.web.tokens) and the `tokens` CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from ipsmatch.errors import NotFoundError, PrivacyError, UsageError
from ipsmatch.store import Store
from ipsmatch.store.schema import api_tokens
from ipsmatch.web.tokens import (
    RateLimiter,
    check_token,
    create_token,
    list_tokens,
    revoke_token,
    token_hash,
)


def test_only_the_hash_is_stored_and_revoke_works_at_once(store: Store) -> None:
    token, _ = create_token(store.engine, "sagssystem", "consultant")
    assert token.startswith("ipsm_") and len(token) > 40
    with store.engine.connect() as conn:
        stored = [tuple(r) for r in conn.execute(sa.select(api_tokens))]
    assert not any(token in str(v) for row in stored for v in row)
    assert stored[0][3] == token_hash(token)
    got = check_token(store.engine, token)
    assert got is not None and got.principal().name == "sagssystem"
    assert got.principal().kind == "token" and not got.principal().is_leader
    assert check_token(store.engine, token + "x") is None
    assert check_token(store.engine, "not-even-a-token") is None
    revoke_token(store.engine, "sagssystem")
    assert check_token(store.engine, token) is None
    assert [t.to_dict()["status"] for t in list_tokens(store.engine)] == ["revoked"]


def test_bad_names_roles_and_duplicates_are_refused(store: Store) -> None:
    create_token(store.engine, "casesys", "leader")
    with pytest.raises(UsageError, match="exists already"):
        create_token(store.engine, "casesys", "leader")
    with pytest.raises(UsageError, match="unknown role"):
        create_token(store.engine, "other", "root")
    with pytest.raises(UsageError, match="not a token name"):
        create_token(store.engine, "Has Spaces", "admin")
    with pytest.raises(PrivacyError):
        create_token(store.engine, "x-0101901234", "admin")
    with pytest.raises(NotFoundError):
        revoke_token(store.engine, "nobody")


def test_rate_limit_is_shared_by_every_worker(store: Store, db_url: str) -> None:
    _, info = create_token(store.engine, "busy", "consultant")
    workers = [RateLimiter(db_url, per_minute=5), RateLimiter(db_url, per_minute=5)]
    t = 1_800_000_000.0
    allowed = [workers[i % 2].hit(info, now=t + i)[0] for i in range(7)]
    assert allowed == [True] * 5 + [False] * 2  # one count across both "workers"
    ok, retry = workers[0].hit(info, now=t + 60 * 5)  # a later minute starts afresh
    assert ok and 0 < retry <= 60
    (used,) = list_tokens(store.engine)
    assert used.last_used_at is not None
    for w in workers:
        w.close()


def test_tokens_cli(db_url: str, store: Store) -> None:
    from ipsmatch.cli import cli

    r = CliRunner().invoke(cli, ["--db", db_url, "tokens", "create", "--name", "sys",
                                 "--role", "leader"])
    assert r.exit_code == 0, r.output
    token = r.stdout.strip()
    assert check_token(store.engine, token) is not None
    assert "shown only this once" in r.stderr
    r = CliRunner().invoke(cli, ["--db", db_url, "tokens", "list", "--format", "json"])
    assert token not in r.stdout and '"role": "leader"' in r.stdout
    r = CliRunner().invoke(cli, ["--db", db_url, "tokens", "revoke", "sys"])
    assert r.exit_code == 0 and check_token(store.engine, token) is None
    r = CliRunner().invoke(cli, ["--db", db_url, "tokens", "create", "--name", "sys2",
                                 "--role", "boss"])
    assert r.exit_code == 2
