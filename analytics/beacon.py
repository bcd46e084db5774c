"""POST /analytics/visit: the player page's beacon (channel page and embed) records a visit.

The channel page is cached for anonymous visitors (aethex/pagecache.py), so the view never sees
most views: the page's script reports them. Anonymous pages carry no CSRF token, so the endpoint
is CSRF-exempt and compensates: a per-address rate limit, a small body, strict validation, and it
can only ever add one deduplicated visit row (no state a forged request could abuse).
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from aethex.api.errors import error_body
from analytics import services, traffic
from channels_app.models import Channel

MAX_BODY = 8192
SLUG = re.compile(r"^[A-Za-z0-9_]{3,25}$")


def _error(status: int, code: str, message: str, fields: dict[str, list[str]] | None = None) -> JsonResponse:
    return JsonResponse(error_body(code, message, fields), status=status)


def _over_rate(address: str) -> bool:
    key = f"analytics:visit-rate:{address}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key) > settings.ANALYTICS_VISIT_RATE_PER_MINUTE
    except ValueError:  # expired between add and incr: this is the first of a new minute
        return False


def _payload(request: HttpRequest) -> dict[str, Any] | None:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return None
        return data if isinstance(data, dict) else None
    return {key: request.POST.get(key, "") for key in ("channel", "referrer", "page", "embed")}


@csrf_exempt
@require_POST
def visit(request: HttpRequest) -> JsonResponse:
    address = request.META.get("REMOTE_ADDR", "")
    if _over_rate(address):
        return _error(429, "throttled", "Too many visits from this address; try again in a minute.")
    if len(request.body) > MAX_BODY:
        return _error(400, "too_large", "The visit report is too large.")
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:512]
    if traffic.is_bot(user_agent):
        return _error(400, "bot", "Crawlers and scripts are not counted as visits.")
    data = _payload(request)
    if data is None or not all(isinstance(data.get(k, ""), str) for k in ("channel", "referrer", "page")):
        return _error(400, "invalid", "Send a JSON object or a form with channel, referrer and page.")
    slug = data.get("channel", "")
    if not SLUG.match(slug):
        return _error(400, "invalid", "channel: not a channel name.", {"channel": ["Not a channel name."]})
    channel = Channel.objects.filter(slug__iexact=slug, suspended_at__isnull=True).first()
    if channel is None:
        return _error(404, "not_found", "No such channel.")
    session = getattr(request, "session", None)
    visit_input = services.VisitInput(
        referrer=data.get("referrer", ""),
        page=data.get("page", ""),
        embed=data.get("embed") in (True, "1", "true"),
        session_key=(session.session_key if session is not None else None) or "",
        address=address,
        user_agent=user_agent,
        host=request.get_host(),
    )
    try:
        recorded = services.page_visit_record(channel=channel, visit=visit_input)
    except traffic.BadInput as error:
        return _error(400, "invalid", f"{error.field}: {error.message}", {error.field: [error.message]})
    return JsonResponse({"recorded": recorded is not None}, status=201 if recorded else 200)
