"""Site-wide entry points: home, search, health and the error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import selectors as account_selectors
from aethex.api.errors import is_api_request, json_error
from aethex.health import run_checks
from aethex.pagecache import shared_when_anonymous
from streams import directory


@require_GET
@shared_when_anonymous
def home(request: HttpRequest) -> HttpResponse:
    # The directory's sections are cached fragments in home.html: read only when rendered.
    context = {
        "live_streams": SimpleLazyObject(lambda: directory.live_now(limit=12)),
        "featured_streams": SimpleLazyObject(lambda: directory.featured_now(limit=4)),
        "categories": SimpleLazyObject(lambda: directory.categories_top(limit=6)),
        "directory_key": f"{translation.get_language()}:{request.user.is_authenticated}",
        "cache_seconds": directory.CACHE_SECONDS,
        "newest_users": account_selectors.users_newest(limit=12),
    }
    return render(request, "home.html", context)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    dropdown = request.htmx and request.htmx.target == "search-dropdown"  # type: ignore[attr-defined]
    limit = 5 if dropdown else directory.SEARCH_LIMIT  # the header's dropdown shows a few of each
    context = {
        "query": query,
        "dropdown": dropdown,
        "users": account_selectors.user_search(query=query, limit=limit),
        "results": directory.search(query=query, limit=limit),
    }
    template = "partials/search_results.html" if request.htmx else "search.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    healthy = all(result == "ok" for result in checks.values())
    body: dict[str, object] = {"status": "ok" if healthy else "error", "checks": checks}
    if not healthy:
        body["down"] = [name for name, result in checks.items() if result != "ok"]
    return JsonResponse(body, status=200 if healthy else 503)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return json_error(request, 404, "Not found.")
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return json_error(request, 500, "Something went wrong on our side; it has been logged.")
    # Rendered without the request: its context processors may need the database that just failed.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return json_error(request, 403, "You do not have permission to do that.")
    return render(request, "errors/403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return json_error(request, 400, "Bad request.")
    return render(request, "errors/400.html", status=400)
