#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server on loopback, exported as
# IPSMATCH_TEST_PG_URL. If IPSMATCH_TEST_PG_URL is already set, use that server instead.
# If no PostgreSQL binaries are found, run the command anyway: the PostgreSQL tests then
# skip with a message saying how to enable them.
set -euo pipefail

if [[ -n "${IPSMATCH_TEST_PG_URL:-}" ]]; then
  exec "$@"
fi

bindir=""
if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
  bindir="$(dirname "$(command -v initdb)")"
fi
for d in /usr/lib/postgresql/*/bin; do
  [[ -z "$bindir" && -x "$d/initdb" ]] && bindir="$d"
done
if [[ -z "$bindir" ]]; then
  echo "with-postgres: no PostgreSQL server binaries found (apt-get install postgresql);" \
       "PostgreSQL tests will be skipped." >&2
  exec "$@"
fi

# Under /tmp, not the checkout: when running as root the server runs as `postgres`, which
# cannot enter a checkout inside a private directory (e.g. one made by mktemp -d).
root="$(mktemp -d "${TMPDIR:-/tmp}/ipsmatch-pg.XXXXXX")"
port="${IPSMATCH_TEST_PG_PORT:-$(( 20000 + RANDOM % 20000 ))}"

# initdb refuses to run as root: run the server as an unprivileged user.
as_user=()
if [[ "$(id -u)" == "0" ]]; then
  pguser=postgres
  id -u "$pguser" >/dev/null 2>&1 || useradd --system --no-create-home "$pguser"
  chown "$pguser" "$root"
  as_user=(runuser -u "$pguser" --)
fi

"${as_user[@]}" "$bindir/initdb" -D "$root/data" -U ipsmatch -A trust --no-sync -E UTF8 \
  >"$root/initdb.log" 2>&1 || { cat "$root/initdb.log" >&2; exit 1; }
"${as_user[@]}" "$bindir/pg_ctl" -D "$root/data" -l "$root/server.log" -w \
  -o "-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
cleanup() {
  "${as_user[@]}" "$bindir/pg_ctl" -D "$root/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$root"
}
trap cleanup EXIT

export IPSMATCH_TEST_PG_URL="postgresql+psycopg://ipsmatch@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL on 127.0.0.1:$port" >&2
set +e
"$@"
status=$?
exit $status
