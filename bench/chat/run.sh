#!/usr/bin/env bash
# Chat fan-out through the front door with the shared load client (../shared/bench/chat-fanout).
#
#   CHAT_RATE_LIMIT_MODERATOR=1000000 DEMO_STREAM=0 make run      # in another terminal
#   bench/chat/run.sh [N] [RATE]                                  # defaults: 1000 viewers, 10 msg/s
#
# The sender is the demo broadcaster (nova, a moderator of its room), so only the raised
# moderator limit applies. The client sends its --header on every socket, so the receivers are
# signed in as nova too: the heaviest connect (session, user, roles, the held queue, the mods
# topic), and one viewer with 3,000 tabs for presence.
set -euo pipefail
N="${1:-1000}" RATE="${2:-10}"
BASE="${BASE:-http://127.0.0.1:8000}" SLUG="${SLUG:-nova}" LOGIN="${LOGIN:-nova}" PASSWORD="${PASSWORD:-aethex-nova-demo}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CLIENT=/tmp/aethex-chat-fanout
if [[ ! -d $CLIENT/node_modules ]]; then
    rm -rf "$CLIENT" && cp -r "$ROOT/../shared/bench/chat-fanout" "$CLIENT" && chmod -R u+w "$CLIENT"
    (cd "$CLIENT" && npm ci --no-audit --no-fund >/dev/null)
fi
# Clear the room first: the client would otherwise read an earlier run's messages in chat.history
# as late deliveries of this one (same step and sequence numbers).
(cd "$ROOT" && REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6380/0}" .venv/bin/python manage.py shell -v0 -c "
from chat.services.moderation import chat_clear
from channels_app.models import Channel
channel = Channel.objects.get(slug='$SLUG')
chat_clear(channel=channel, moderator=channel.owner_user)")
SESSION=$("$ROOT/.venv/bin/python" - "$BASE" "$LOGIN" "$PASSWORD" <<'PY'
import http.cookiejar, re, sys, urllib.parse, urllib.request
base, login, password = sys.argv[1:4]
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
page = opener.open(f"{base}/accounts/login/").read().decode()
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": login, "password": password}).encode()
opener.open(urllib.request.Request(f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}))
print(next(c.value for c in jar if c.name == "sessionid"))
PY
)
workers=$(pgrep -f "uvicorn aethex.asgi" | awk '{printf "w%d=%s,", ++i, $1}')
pids="${workers}redis=$(pgrep -f 'redis-server.*:6380' | head -1),nginx=$(pgrep -f 'nginx: worker' | head -1)"
cd "$CLIENT"
exec node client/bench.js --url "${BASE/http/ws}/ws/chat/$SLUG/" --n "$N" --rate "$RATE" --duration 20 --warmup 2 \
    --drain 20 --template '{"type":"chat.send","text":"%P%"}' --origin "$BASE" --header "Cookie: sessionid=$SESSION" \
    --deflate --pids "$pids" --label "aethex-$N-$RATE" --out /tmp/aethex-chat-bench.jsonl
