#!/usr/bin/env bash
# The whole check suite (called by `make test` after BOOTSTRAP_DEV=1 scripts/bootstrap.sh):
# ruff check, ruff format --check, mypy and pytest. Extra arguments go to pytest.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -t 1 ]]; then C_BLUE=$'\e[1;34m' C_RED=$'\e[1;31m' C_GREEN=$'\e[1;32m' C_OFF=$'\e[0m'; else C_BLUE= C_RED= C_GREEN= C_OFF=; fi
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p var

step() { printf "${C_BLUE}[test]${C_OFF} %s\n" "$*"; }
die() { printf "${C_RED}[test] error:${C_OFF} %s\n" "$*" >&2; exit 1; }

step "ruff check"
ruff check .
step "ruff format --check"
ruff format --check .
step "mypy"
mypy .
# Tests run against real PostgreSQL and Redis: the local ones (started if they are installed but
# stopped) unless DATABASE_URL / REDIS_URL name others.
if [[ -z "${DATABASE_URL:-}" || -z "${REDIS_URL:-}" ]]; then
    source scripts/services.sh
    services_up
    if [[ -z "${DATABASE_URL:-}" ]]; then
        DATABASE_URL="$(postgres_url aethex_test)" || exit 1
        export DATABASE_URL
    fi
    export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/13}"
fi

# pytest reuses its test database (building it runs every migration: about 2 minutes). It is
# rebuilt when the migrations or the pinned packages changed since it was built (a hash kept as
# the test database's comment: scripts/test_database.py).
create_db=()
python scripts/test_database.py check || create_db=(--create-db)

step "pytest (database: ${DATABASE_URL%%\?*}${create_db:+, test database rebuilt}; channel layer, cache, broker: $REDIS_URL)"
rc=0
pytest "${create_db[@]}" "$@" || rc=$?
if ((rc == 5)); then
    echo "pytest collected no tests: that is a failure here, not a success." >&2
    exit 1
fi
if ((rc <= 1)) && ((${#create_db[@]})); then  # the tests ran on a complete schema: remember it
    python scripts/test_database.py mark || true
fi
exit "$rc"
