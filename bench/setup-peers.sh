#!/usr/bin/env bash
# Installs the peer tools the benchmarks compare against into bench/.peers/ (gitignored), so the
# bench is reproducible from a clean clone without touching package.json:
#   - dbmate (Go binary, shipped by the npm `dbmate` package through @dbmate/<platform> optional deps)
#   - node-pg-migrate (npm) with its `pg` peer dependency
# Alembic is not installed here: the bench uses the python3 the environment already has
# (PYTHONPATH from BENCH_ALEMBIC_PYTHONPATH if set).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
peers="$here/.peers"
mkdir -p "$peers"
cd "$peers"
[ -f package.json ] || printf '{ "name": "pgma-bench-peers", "private": true }\n' > package.json
npm install --no-audit --no-fund --loglevel=error \
  dbmate@2.36.0 node-pg-migrate@9.0.0 pg@8.23.1 squawk-cli@2.66.0
echo "dbmate: $("$peers/node_modules/.bin/dbmate" --version 2>&1 || echo unavailable)"
echo "node-pg-migrate: $(node -p "require('$peers/node_modules/node-pg-migrate/package.json').version" 2>&1 || echo unavailable)"
echo "squawk: $("$peers/node_modules/.bin/squawk" --version 2>&1 || echo unavailable)"
