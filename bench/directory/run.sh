#!/usr/bin/env bash
# Directory benchmark: /directory/ and GET /api/v1/streams/ through the nginx front door with
# 1,000 live channels and 100,000 follows, at 50 concurrent connections (wrk --latency).
#
#   bench/directory/run.sh seed        # once, with `make run` STOPPED (writes the database it uses)
#   STREAM_STALE_SECONDS=3600 DEMO_STREAM=0 make run   # in another terminal (no encoder updates the
#                                    # seeded streams: keep the stale-session task from ending them)
#   bench/directory/run.sh             # then: wrk against each URL, requests/s and p99
#
# `seed` runs bench/directory/seed.py --reset in the environment `make run` uses (DATABASE_URL if
# set, else SQLite under VAR_DIR, default ./var). Listings are not throttled (they are cached);
# if you add `q=` URLs, start the server with API_THROTTLE_ANON=100000000/min.
#
# Environment: BASE (http://127.0.0.1:8000), CONNECTIONS (50), THREADS (2), DURATION (30s),
# WARMUP (5s), URLS (space-separated paths; default below). Target: p99 < 100 ms.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BASE="${BASE:-http://127.0.0.1:8000}"
CONNECTIONS="${CONNECTIONS:-50}" THREADS="${THREADS:-2}" DURATION="${DURATION:-30s}" WARMUP="${WARMUP:-5s}"
URLS="${URLS:-/directory/ /api/v1/streams/ /directory/?sort=trending /api/v1/streams/?sort=new&page=3 /}"

if [[ "${1:-}" == seed ]]; then
    shift
    export VAR_DIR="${VAR_DIR:-$ROOT/var}"
    cd "$ROOT"
    .venv/bin/python manage.py migrate --noinput -v0
    exec .venv/bin/python bench/directory/seed.py --reset "$@"
fi

if ! command -v wrk >/dev/null; then
    if [[ $(id -u) == 0 ]]; then
        apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    else
        echo "wrk is missing: sudo apt-get install -y wrk" >&2
        exit 1
    fi
fi

# Refuse to measure error pages: every URL must answer 200 (a 429 means the throttle is on).
for path in $URLS; do
    status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$path")
    if [[ $status != 200 ]]; then
        echo "$BASE$path answers $status, not 200." >&2
        if [[ $status == 429 ]]; then echo "Start the server with API_THROTTLE_ANON=100000000/min." >&2; fi
        exit 1
    fi
done
count=$(curl -s "$BASE/api/v1/streams/?page_size=1" | "$ROOT/.venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["count"])')
echo "live streams listed by the API: $count (seed with: $0 seed)"
echo "wrk: $CONNECTIONS connections, $THREADS threads, $DURATION per URL (after a $WARMUP warm-up)"
echo
printf '| %-34s | %10s | %8s | %8s | %8s |\n' URL 'req/s' p50 p90 p99
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..36})" ------------ ---------- ---------- ----------
for path in $URLS; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$BASE$path" >/dev/null
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$BASE$path")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p90=$(awk '$1 == "90%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)
    printf '| %-34s | %10s | %8s | %8s | %8s |\n' "$path" "$rps" "$p50" "$p90" "$p99"
    if [[ -n $errors ]]; then echo "  ! $errors"; fi
done
