"""nginx-rtmp's HTTP callbacks: POST /ingest/rtmp/<event>.

Only the configured ingest addresses holding the shared secret may call; anything else is a
403. A 2xx lets the publisher in (or keeps it), a 3xx to the slug renames the stream so the
key never names a public file, and a 4xx refuses or drops it.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from streams import services
from streams.services import IngestCall, IngestRefused

logger = logging.getLogger(__name__)


@cache
def _allowed_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(n, strict=False) for n in settings.INGEST_ALLOWED_ADDRESSES)


def caller_is_ingest(request: HttpRequest) -> bool:
    secret = request.headers.get("X-Ingest-Secret", "")
    if not hmac.compare_digest(secret.encode(), settings.INGEST_SHARED_SECRET.encode()):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _allowed_networks())


def _call(request: HttpRequest) -> IngestCall:
    node = request.GET.get("node") or request.META.get("REMOTE_ADDR", "")
    return IngestCall(
        node=node[:100],
        client_id=request.POST.get("clientid", "")[:32],
        key=request.POST.get("name", ""),
        publisher_addr=request.POST.get("addr") or None,
    )


def _forbidden(reason: str) -> JsonResponse:
    return JsonResponse({"error": {"code": "permission_denied", "message": reason, "fields": {}}}, status=403)


def _guarded(request: HttpRequest) -> JsonResponse | None:
    if not caller_is_ingest(request):
        # Never log the request: its form carries a stream key.
        logger.warning("ingest callback refused from %s", request.META.get("REMOTE_ADDR"))
        return _forbidden("Not an ingest node of this platform.")
    if not request.POST.get("clientid"):
        return JsonResponse(
            {"error": {"code": "invalid", "message": "clientid is missing.", "fields": {}}}, status=400
        )
    return None


@csrf_exempt
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    if refused := _guarded(request):
        return refused
    try:
        stream = services.ingest_publish(call=_call(request))
    except IngestRefused as exc:
        return _forbidden(exc.reason)
    response = HttpResponse(status=302)
    response["Location"] = stream.channel.slug  # nginx-rtmp renames the stream to this
    return response


@csrf_exempt
@require_POST
def publish_done(request: HttpRequest) -> HttpResponse:
    if refused := _guarded(request):
        return refused
    services.ingest_publish_done(call=_call(request))
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def update(request: HttpRequest) -> HttpResponse:
    if refused := _guarded(request):
        return refused
    if request.POST.get("call", "update_publish") != "update_publish":
        # update_play: the local relay to the HLS application and the ladder's transcoder play the
        # stream; they live and die with the publisher, so there is nothing to check.
        return HttpResponse(status=204)
    try:
        services.ingest_update(call=_call(request))
    except IngestRefused as exc:
        return _forbidden(exc.reason)  # nginx-rtmp drops the publisher
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def record_done(request: HttpRequest) -> HttpResponse:
    if refused := _guarded(request):
        return refused
    services.ingest_record_done(call=_call(request), path=request.POST.get("path", ""))
    return HttpResponse(status=204)
