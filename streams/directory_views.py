"""The directory pages: /directory/, categories, one category, one tag. Reads only, cached briefly.

Anonymous visitors all get the same page, which the front door caches (aethex/pagecache.py)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from aethex.pagecache import shared_when_anonymous
from channels_app.validators import TAG_RE
from streams import directory

SORT_LABELS = [
    ("viewers", _("Most viewers")),
    ("new", _("Newest")),
    ("trending", _("Trending")),
    ("featured", _("Featured")),
]


def _fragment_key(request: HttpRequest, *parts: object) -> str:
    """Key of a cached HTML fragment: what it shows, the language and whether the viewer is signed in."""
    raw = repr((*parts, translation.get_language(), request.user.is_authenticated))
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


def _listing(request: HttpRequest, filters: directory.DirectoryFilter) -> dict[str, Any]:
    """What every stream grid page shows: the page of cards and the sort/language controls.

    The grid is rendered from a fragment cache ({% cache %} in directory/_grid.html, as long as
    the data's own cache): rendering 24 cards costs more CPU than reading them, so on a hit the
    page is not even read (`page` is lazy) and only the header and controls are rendered.
    """
    params = request.GET.copy()
    params.pop("page", None)
    number = directory.page_number(request.GET.get("page"))
    return {
        "filters": filters,
        "page": SimpleLazyObject(lambda: directory.directory_page(filters=filters, number=number)),
        "grid_key": _fragment_key(request, filters.key(), number, params.urlencode()),
        "cache_seconds": directory.CACHE_SECONDS,
        "sorts": SORT_LABELS,
        "languages": settings.LANGUAGES,
        "query_without_page": params.urlencode(),
    }


@require_GET
@shared_when_anonymous
def directory_index(request: HttpRequest) -> HttpResponse:
    filters = directory.filter_from_params(request.GET)
    context = _listing(request, filters)
    context["categories"] = SimpleLazyObject(lambda: directory.categories_top(limit=8))
    context["categories_key"] = _fragment_key(request, "categories-top", 8)
    context["recommended"] = directory.recommended_for(user=request.user)  # type: ignore[arg-type]
    return render(request, "directory/index.html", context)


@require_GET
@shared_when_anonymous
def category_list(request: HttpRequest) -> HttpResponse:
    page = directory.categories_page(number=directory.page_number(request.GET.get("page")))
    return render(request, "directory/categories.html", {"page": page, "query_without_page": ""})


@require_GET
@shared_when_anonymous
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = directory.category_get(slug=slug)
    if category is None:
        raise Http404("No such category.")
    base = directory.filter_from_params(request.GET)
    filters = directory.DirectoryFilter(sort=base.sort, language=base.language, category=category.slug)
    return render(request, "directory/category.html", {"category": category, **_listing(request, filters)})


@require_GET
@shared_when_anonymous
def tag_detail(request: HttpRequest, tag: str) -> HttpResponse:
    if not TAG_RE.match(tag):
        raise Http404("Not a tag.")
    base = directory.filter_from_params(request.GET)
    filters = directory.DirectoryFilter(sort=base.sort, language=base.language, tag=tag)
    return render(request, "directory/tag.html", {"tag": tag, **_listing(request, filters)})
