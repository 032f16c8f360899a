#!/usr/bin/env bash
# Provisions a real PostgreSQL 15 server with the pgvector extension and real Alembic on a Debian 12
# machine, then starts the server on a loopback port. Idempotent: every step checks before it acts,
# so CI and developers can run it as often as they like.
#
# Prints, as its last line, `export TEST_DATABASE_URL=…` (eval it, or copy it).
# Also exports, when available, TEST_ALEMBIC_NEW_PYTHONPATH (Alembic 1.13+ / SQLAlchemy 2.0 from trixie)
# and TEST_NODE24 (a Node 24 binary, the runtime action.yml declares).
#
# Environment: PGMA_PG_PORT (default 55432), PGMA_PGDATA (default /tmp/pg-migrate-action/pg15),
#              PGMA_PG_PASSWORD (default pgma-test-password).
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
PORT=${PGMA_PG_PORT:-55432}
PGDATA=${PGMA_PGDATA:-/tmp/pg-migrate-action/pg15}
PASSWORD=${PGMA_PG_PASSWORD:-pgma-test-password}
REPO=$(cd "$(dirname "$0")/.." && pwd)
PY_NEW_DIR=${PGMA_ALEMBIC_NEW_DIR:-$REPO/.cache/alembic-trixie}
log() { printf '[provision] %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_ready=0
apt_update_once() {
  if [ $apt_ready = 0 ]; then
    log "apt-get update"
    as_root apt-get update -qq >&2
    apt_ready=1
  fi
}

# Trixie supplies pgvector's source and the newer pure-Python Alembic/SQLAlchemy; pinned low so
# nothing on the machine is upgraded from it.
ensure_trixie_sources() {
  local list=/etc/apt/sources.list.d/pg-migrate-action-trixie.sources
  local pin=/etc/apt/preferences.d/pg-migrate-action-trixie
  if [ ! -f "$list" ]; then
    as_root tee "$list" >/dev/null <<SRC
Types: deb deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt_ready=0
  fi
  if [ ! -f "$pin" ]; then
    as_root tee "$pin" >/dev/null <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 50
PIN
  fi
}

ensure_debian_packages() {
  local missing=()
  # postgresql-client-15: pg_dump and pg_restore of the server's major version, for the backup tests.
  for p in postgresql-15 postgresql-client-15 postgresql-server-dev-15 python3-alembic python3-psycopg2 python3-sqlalchemy make gcc; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    apt_update_once
    log "apt-get install ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm "${missing[@]}" >&2
  fi
}

ensure_pgvector() {
  if [ -f /usr/share/postgresql/15/extension/vector.control ]; then return; fi
  apt_update_once
  local work; work=$(mktemp -d)
  log "building pgvector from Debian's source package in $work"
  (cd "$work" && apt-get source --download-only pgvector >&2)
  local orig; orig=$(ls "$work"/pgvector_*.orig.tar.* | head -n1)
  tar -xf "$orig" -C "$work"
  local src; src=$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -n1)
  make -C "$src" PG_CONFIG=$PG_BIN/pg_config OPTFLAGS="" -j2 >&2
  as_root make -C "$src" PG_CONFIG=$PG_BIN/pg_config install >&2
  rm -rf "$work"
}

# Alembic 1.13+ with SQLAlchemy 2.0, unpacked into a folder for PYTHONPATH (never installed system-wide).
ensure_new_alembic() {
  if [ -d "$PY_NEW_DIR/usr/lib/python3/dist-packages/alembic" ]; then return; fi
  apt_update_once
  local work; work=$(mktemp -d)
  log "fetching Alembic/SQLAlchemy from trixie into $PY_NEW_DIR"
  if (cd "$work" && apt-get download python3-alembic/trixie python3-sqlalchemy/trixie python3-typing-extensions/trixie >&2); then
    mkdir -p "$PY_NEW_DIR"
    for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$PY_NEW_DIR"; done
  else
    log "could not download trixie's Alembic; tests of Alembic 1.13+ will be skipped"
  fi
  rm -rf "$work"
}

# action.yml declares node24: a real Node 24 binary from the npm registry lets the tests run the bundle under it.
NODE24_DIR=${PGMA_NODE24_DIR:-$REPO/.cache/node24}
ensure_node24() {
  if [ -x "$NODE24_DIR/node_modules/.bin/node" ]; then return; fi
  log "installing Node 24 from the npm registry into $NODE24_DIR"
  mkdir -p "$NODE24_DIR"
  # Its own package.json keeps npm from walking up into the project; node@24 needs its preinstall
  # script, which npm 11 only runs for explicitly allowed packages.
  echo '{"name":"pgma-node24","private":true,"dependencies":{"node":"^24"},"allowScripts":{"node":true}}' >"$NODE24_DIR/package.json"
  (cd "$NODE24_DIR" && npm install --no-audit --no-fund --loglevel=error >&2) || log "could not install Node 24; the bundle will be tested under $(node -v) only"
}

ensure_cluster() {
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    log "initdb $PGDATA"
    as_root mkdir -p "$PGDATA"
    as_root chown postgres:postgres "$PGDATA" "$(dirname "$PGDATA")"
    local pwfile; pwfile=$(mktemp); printf '%s\n' "$PASSWORD" >"$pwfile"; chmod 644 "$pwfile"
    as_root runuser -u postgres -- $PG_BIN/initdb -D "$PGDATA" -U postgres --pwfile="$pwfile" \
      --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >&2
    rm -f "$pwfile"
    cat <<CONF | as_root tee -a "$PGDATA/postgresql.conf" >/dev/null
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$PGDATA'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
CONF
  fi
  if as_root runuser -u postgres -- $PG_BIN/pg_ctl -D "$PGDATA" status >/dev/null 2>&1; then
    log "server already running on port $PORT"
  else
    log "starting server on 127.0.0.1:$PORT"
    as_root runuser -u postgres -- $PG_BIN/pg_ctl -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start >&2
  fi
  as_root runuser -u postgres -- $PG_BIN/psql -h "$PGDATA" -p "$PORT" -U postgres -qAt \
    -c "select 'pgvector ' || default_version from pg_available_extensions where name = 'vector'" >&2
}

ensure_trixie_sources
ensure_debian_packages
ensure_pgvector
ensure_new_alembic
ensure_node24
ensure_cluster

echo "export TEST_DATABASE_URL=postgres://postgres:$PASSWORD@127.0.0.1:$PORT/postgres"
if [ -x "$NODE24_DIR/node_modules/.bin/node" ]; then
  echo "export TEST_NODE24=$NODE24_DIR/node_modules/.bin/node"
fi
if [ -d "$PY_NEW_DIR/usr/lib/python3/dist-packages/alembic" ]; then
  echo "export TEST_ALEMBIC_NEW_PYTHONPATH=$PY_NEW_DIR/usr/lib/python3/dist-packages"
fi
