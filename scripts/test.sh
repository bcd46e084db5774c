#!/usr/bin/env bash
# The whole check suite (called by `make test` after BOOTSTRAP_DEV=1 scripts/bootstrap.sh):
# ruff check, ruff format --check, mypy and pytest. Extra arguments go to pytest.
# Uses DATABASE_URL / REDIS_URL when set (CI sets both), SQLite and in-process fallbacks otherwise.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -t 1 ]]; then C_BLUE=$'\e[1;34m' C_RED=$'\e[1;31m' C_GREEN=$'\e[1;32m' C_OFF=$'\e[0m'; else C_BLUE= C_RED= C_GREEN= C_OFF=; fi
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p var

step() { printf "${C_BLUE}[test]${C_OFF} %s\n" "$*"; }

step "ruff check"
ruff check .
step "ruff format --check"
ruff format --check .
step "mypy"
mypy .
database="SQLite"
[[ -n "${DATABASE_URL:-}" ]] && database="DATABASE_URL"
redis="in-process fallbacks"
[[ -n "${REDIS_URL:-}" ]] && redis="REDIS_URL"
step "pytest (database: $database; channel layer, cache, broker: $redis)"
rc=0
pytest "$@" || rc=$?
if ((rc == 5)); then
    echo "pytest collected no tests: that is a failure here, not a success." >&2
    exit 1
fi
exit "$rc"
