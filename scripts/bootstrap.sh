#!/usr/bin/env bash
# Installs whatever is missing for AeThex Live, and nothing else.
#
#   scripts/bootstrap.sh                  system packages + .venv (requirements.txt) + npm ci
#   BOOTSTRAP_DEV=1 scripts/bootstrap.sh  the same plus requirements-dev.txt, chromium, chromedriver
#
# Idempotent and fast on a second run: apt runs only when a command or file is missing,
# pip only when the requirements files changed (a hash stamp in .venv), npm only when
# package-lock.json changed (a hash stamp in node_modules).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -t 1 ]]; then C_BLUE=$'\e[1;34m' C_RED=$'\e[1;31m' C_GREEN=$'\e[1;32m' C_OFF=$'\e[0m'; else C_BLUE= C_RED= C_GREEN= C_OFF=; fi

BOOTSTRAP_DEV="${BOOTSTRAP_DEV:-0}"
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-.venv}"

say() { printf "${C_BLUE}[bootstrap]${C_OFF} %s\n" "$*"; }
die() { printf "${C_RED}[bootstrap] error:${C_OFF} %s\n" "$*" >&2; exit 1; }

hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# --- System packages ---------------------------------------------------------------
# Each package is checked by what it provides, so a machine where the tool came from
# elsewhere (e.g. Node.js from NodeSource) is left alone.
missing=()
need() {  # need <package> <test...>
    local package="$1"
    shift
    if ! "$@" >/dev/null 2>&1; then missing+=("$package"); fi
}
need python3-venv "$PYTHON" -c 'import ensurepip, venv'
need redis-server command -v redis-server
need nginx test -x /usr/sbin/nginx
need libnginx-mod-rtmp test -e /usr/lib/nginx/modules/ngx_rtmp_module.so
need ffmpeg command -v ffmpeg
need nodejs command -v node
need npm command -v npm
if [[ "$BOOTSTRAP_DEV" == 1 ]]; then
    # The browser tests drive Debian's Chromium (playwright cannot download its own here).
    need chromium test -x /usr/bin/chromium
    need chromium-driver test -x /usr/bin/chromedriver
    # The tests run against real PostgreSQL (and Redis, above); one already listening will do.
    source scripts/services.sh
    answers 5432 || need postgresql command -v pg_ctlcluster
fi

if ((${#missing[@]})); then
    say "installing system packages: ${missing[*]}"
    if [[ "$(id -u)" == 0 ]]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1; then
        as_root=(sudo)
    else
        die "missing system packages (${missing[*]}) and not root, and sudo is not available.
       Install them as root:  apt-get update && apt-get install -y ${missing[*]}"
    fi
    command -v apt-get >/dev/null 2>&1 ||
        die "apt-get not found: install ${missing[*]} with your system's package manager, then re-run."
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -qq || die "apt-get update failed (is the Debian archive reachable?)"
    "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null ||
        die "apt-get install ${missing[*]} failed"
fi

# --- Python virtualenv ------------------------------------------------------------------
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    die "$PYTHON is $("$PYTHON" --version 2>&1); AeThex Live needs Python 3.11 or newer (set PYTHON=...)."
if [[ ! -x "$VENV/bin/python" ]]; then
    say "creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi

stamp="$VENV/.aethex-requirements"
runtime_hash="runtime $(hash_of requirements.txt)"
dev_hash="dev $(hash_of requirements.txt requirements-dev.txt)"
installed() { [[ -f "$stamp" ]] && grep -qxF "$1" "$stamp"; }

pip_install() {
    local log rc=0
    log="$(mktemp)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$1" >"$log" 2>&1 || rc=$?
    # pip names every find-links/extra-index location it skips: keep the log readable.
    grep -v "^WARNING: Location '.*' is ignored" "$log" || true
    rm -f "$log"
    ((rc == 0)) || die "pip install -r $1 failed (exit $rc)"
}

if [[ "$BOOTSTRAP_DEV" == 1 ]]; then
    if ! installed "$dev_hash"; then
        say "installing requirements-dev.txt into $VENV"
        pip_install requirements-dev.txt
        printf '%s\n%s\n' "$runtime_hash" "$dev_hash" >"$stamp"
    fi
elif ! installed "$runtime_hash" && ! installed "$dev_hash"; then
    say "installing requirements.txt into $VENV"
    pip_install requirements.txt
    printf '%s\n' "$runtime_hash" >"$stamp"
fi
for tool in uvicorn celery honcho; do
    [[ -x "$VENV/bin/$tool" ]] || die "$VENV/bin/$tool is missing after installing requirements"
done

# --- Front-end libraries (no build step: npm only fetches them) -----------------------
npm_stamp="node_modules/.aethex-package-lock"
lock_hash="$(hash_of package-lock.json)"
if [[ ! -f "$npm_stamp" ]] || [[ "$(cat "$npm_stamp")" != "$lock_hash" ]]; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    printf '%s\n' "$lock_hash" >"$npm_stamp"
fi

say "ready"
