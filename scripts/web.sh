#!/usr/bin/env bash
# The "web" process of `make run`: WEB_WORKERS uvicorn processes, each on its own unix socket
# (VAR_DIR/run/asgi-<i>.sock), which the nginx front door balances with least_conn. One socket
# per process spreads the room WebSockets evenly; processes sharing a listening socket (uvicorn
# --workers) take them unevenly and the busiest one sets the room's latency.
# If one process exits, the others are stopped too, so honcho stops the whole stack.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
: "${VAR_DIR:?}"
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait; }
trap stop INT TERM EXIT
for ((i = 0; i < ${WEB_WORKERS:-2}; i++)); do
    sock="$VAR_DIR/run/asgi-$i.sock"
    rm -f "$sock"
    uvicorn aethex.asgi:application --uds "$sock" --lifespan off --loop uvloop --http httptools --ws websockets-sansio \
        --ws-per-message-deflate false --proxy-headers --forwarded-allow-ips "*" --no-access-log &
    pids+=($!)
done
wait -n "${pids[@]}"
