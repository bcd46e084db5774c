#!/usr/bin/env bash
# Start the whole platform on this machine (called by `make run`, after scripts/bootstrap.sh).
#
# Migrates, loads the demo users, collects static files, renders the nginx front door and
# starts everything in Procfile.dev under honcho: uvicorn workers (ASGI), Celery worker and beat, a
# private redis-server, nginx with the RTMP ingest, and a demo stream on the channel "nova".
# Ctrl-C stops all of it.
#
# Environment: BIND (127.0.0.1), HTTP_PORT (8000), RTMP_PORT (1935), REDIS_PORT (6380),
# VAR_DIR (./var), DEMO_STREAM (1: push a test pattern to /nova/; 0: don't);
# DATABASE_URL is honoured (SQLite under var/ otherwise). REDIS_URL always points at the
# private redis started here.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -t 1 ]]; then C_BLUE=$'\e[1;34m' C_RED=$'\e[1;31m' C_GREEN=$'\e[1;32m' C_OFF=$'\e[0m'; else C_BLUE= C_RED= C_GREEN= C_OFF=; fi
ROOT="$PWD"

export BIND="${BIND:-127.0.0.1}"
export HTTP_PORT="${HTTP_PORT:-8000}"
export RTMP_PORT="${RTMP_PORT:-1935}"
DEMO_STREAM="${DEMO_STREAM:-1}"
export REDIS_PORT="${REDIS_PORT:-6380}"
export VAR_DIR="${VAR_DIR:-$ROOT/var}"
export PATH="$ROOT/.venv/bin:$PATH"
export PYTHONUNBUFFERED=1
PY="$ROOT/.venv/bin/python"
LOGINS="$VAR_DIR/run/demo-logins.txt"

say() { printf "${C_BLUE}[run]${C_OFF} %s\n" "$*"; }
die() { printf "${C_RED}[run] error:${C_OFF} %s\n" "$*" >&2; exit 1; }

url_host() { [[ "$BIND" == *:* ]] && printf '[%s]' "$BIND" || printf '%s' "$BIND"; }
public_host() {
    if [[ "$BIND" == 0.0.0.0 || "$BIND" == "::" ]]; then printf 127.0.0.1; else url_host; fi
}
site_url() { printf 'http://%s:%s' "$(public_host)" "$HTTP_PORT"; }

# --- The "ready" process of Procfile.dev: wait for /healthz through nginx, then say so. ---------
if [[ "${1:-}" == --announce ]]; then
    url="$(site_url)"
    if "$PY" - "$url/healthz" <<'EOF'; then
import json, sys, time, urllib.request

deadline = time.monotonic() + 90
last = "no answer"
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=3) as response:
            body = json.load(response)
        if body.get("status") == "ok":
            sys.exit(0)
        last = json.dumps(body)
    except Exception as exc:  # not up yet: 502 from nginx, connection refused, 503 while redis starts
        last = str(exc)
    time.sleep(0.5)
print(f"/healthz is still not ok after 90 s: {last}", file=sys.stderr)
sys.exit(1)
EOF
        printf "\n${C_GREEN}AeThex Live is up:${C_OFF} %s/   (admin: %s/admin/, API docs: %s/api/docs/)\n" "$url" "$url" "$url"
        [[ -f "$LOGINS" ]] && cat "$LOGINS"
        [[ "$DEMO_STREAM" == 1 ]] && printf 'Live demo stream: %s/nova/   (DEMO_STREAM=0 make run starts without it)\n' "$url"
        printf 'RTMP ingest for OBS: %s   (stream key: dashboard → Stream)\n' "${RTMP_PUBLIC_URL:-}"
        printf 'Payments run on a local Stripe test server: card 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined.\n'
        printf 'Press Ctrl-C to stop everything.\n\n'
    else
        printf "${C_RED}AeThex Live did not become healthy; see the log above and %s/healthz${C_OFF}\n" "$url"
    fi
    # honcho stops every process when one exits, so this one stays until it is told to stop.
    exec sleep infinity
fi

# --- Refuse early if the ports are taken (e.g. a previous run still going). -------------------
port_busy() { "$PY" -c 'import socket, sys; s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET); s.settimeout(0.5); sys.exit(s.connect_ex((sys.argv[1], int(sys.argv[2]))) != 0)' "$1" "$2"; }
probe_host="$BIND"
[[ "$BIND" == 0.0.0.0 ]] && probe_host=127.0.0.1
[[ "$BIND" == "::" ]] && probe_host=::1
port_busy "$probe_host" "$HTTP_PORT" && die "port $HTTP_PORT on $BIND is in use (another 'make run'?). Stop it or set HTTP_PORT=..."
port_busy 127.0.0.1 "$REDIS_PORT" && die "port $REDIS_PORT is in use (another 'make run'?). Stop it or set REDIS_PORT=..."
port_busy 127.0.0.1 "$RTMP_PORT" && die "port $RTMP_PORT (RTMP) is in use (another 'make run'?). Stop it or set RTMP_PORT=..."

socket_busy() { "$PY" -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); sys.exit(s.connect_ex(sys.argv[1]) != 0)' "$1" 2>/dev/null; }
[[ -S "$VAR_DIR/run/asgi-0.sock" ]] && socket_busy "$VAR_DIR/run/asgi-0.sock" &&
    die "$VAR_DIR is in use by another 'make run' (an ASGI server answers on var/run/asgi-0.sock); stop it first or set VAR_DIR=..."

mkdir -p "$VAR_DIR"/{run,log,redis,media,static,hls,recordings}
# The app asks this nginx for stream health and to drop publishers: follow HTTP_PORT.
export RTMP_STAT_URL="${RTMP_STAT_URL:-http://127.0.0.1:$HTTP_PORT/_rtmp/stat}"
export RTMP_CONTROL_URL="${RTMP_CONTROL_URL:-http://127.0.0.1:$HTTP_PORT/_rtmp/control}"
# nginx sends VOD files once Django has checked access (X-Accel-Redirect; vods/media.py).
export VODS_ACCEL_REDIRECT="${VODS_ACCEL_REDIRECT:-1}"
export RTMP_PUBLIC_URL="${RTMP_PUBLIC_URL:-rtmp://$(public_host):$RTMP_PORT/live}"
# A socket or pid file left by a run that was killed would stop the ASGI server or beat from starting.
rm -f "$VAR_DIR"/run/asgi*.sock "$VAR_DIR/run/celerybeat.pid"

# The one-off steps run before the private redis exists, so they use the in-process
# fallbacks (locmem cache, eager Celery); the processes started below use redis.
unset REDIS_URL
say "migrate"
"$PY" manage.py migrate --noinput -v0
say "seed_demo"
"$PY" manage.py seed_demo --skip-checks | tee "$LOGINS"
say "collectstatic"
"$PY" manage.py collectstatic --noinput -v0 --skip-checks
say "nginx config (front door + RTMP ingest)"
"$PY" manage.py runmedia --check --skip-checks

# redis.conf is rewritten each run so REDIS_PORT changes take effect; nothing is persisted.
cat >"$VAR_DIR/redis/redis.conf" <<EOF
# Written by scripts/run.sh: the private, throw-away redis of 'make run'.
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
dir $VAR_DIR/redis
save ""
appendonly no
daemonize no
logfile ""
loglevel warning
EOF

export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
say "starting on $(site_url)/ (Ctrl-C stops everything)"
# -e /dev/null: a .env in the checkout is docker compose's (production settings), not ours.
processes=(redis web worker beat frontdoor stripe ready)
[[ "$DEMO_STREAM" == 1 ]] && processes+=(demo)
# Each viewer's socket is a file descriptor in nginx and in an ASGI worker: lift the soft limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec honcho -e /dev/null -f Procfile.dev -d "$ROOT" start "${processes[@]}"
