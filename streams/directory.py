"""Reads behind the directory, the home page, search and GET /api/v1/streams/.

Every list here is one query (plus a COUNT for paginated ones) whatever the number of streams:
cards read the stored `Stream.viewer_count` (refreshed each minute by `sample_viewers`), never
Redis per card. Results are cached for a few seconds keyed by the request's parameters, so a
burst of visitors costs the database one query per parameter set every CACHE_SECONDS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from accounts.models import User
from channels_app.models import Category, Channel, Follow
from streams.models import Stream, StreamStatus

SORTS = ("viewers", "new", "trending", "featured")
PAGE_SIZE = 24
MAX_PAGES = 50  # offset pagination with a cap: deep offsets cost the database, nobody reads page 51
CATEGORY_PAGE_SIZE = 48
CACHE_SECONDS = 10
SEARCH_LIMIT = 20
# Below this trigram similarity a result is noise; 0.3 is pg_trgm's own default threshold.
TRIGRAM_THRESHOLD = 0.3

_ORDERINGS: dict[str, tuple[Any, ...]] = {
    "viewers": ("-viewer_count", "-started_at", "-id"),
    "new": ("-started_at", "-id"),
    "trending": ("-trending_score", "-viewer_count", "-id"),
    "featured": ("channel__featured_rank", "-viewer_count", "-id"),
    "relevance": ("-relevance", "-viewer_count", "-id"),
}

T = TypeVar("T")


@dataclass(frozen=True)
class DirectoryFilter:
    """What a directory list shows. Empty strings mean "any"; `sort` empty means the default:
    relevance when searching, viewers otherwise."""

    sort: str = ""
    category: str = ""
    tag: str = ""
    language: str = ""
    q: str = ""
    live: bool = True

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS:
            return self.sort
        return "relevance" if self.q.strip() else "viewers"

    def key(self) -> str:
        raw = repr(
            (self.effective_sort, self.category, self.tag.lower(), self.language, self.q.strip(), self.live)
        )
        return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


def filter_from_params(params: Mapping[str, str]) -> DirectoryFilter:
    """The pages' lenient reading of ?sort=&language=&q=: an unknown value means "any"."""
    languages = {code for code, _ in settings.LANGUAGES}
    sort = params.get("sort", "")
    language = params.get("language", "")
    return DirectoryFilter(
        sort=sort if sort in SORTS else "",
        language=language if language in languages else "",
        q=params.get("q", "")[:100],
    )


def cached(key: str, compute: Callable[[], T], seconds: int = CACHE_SECONDS) -> T:
    """A short-lived cache of a computed read: fresh enough for a directory, cheap under a burst."""
    full_key = f"directory:v1:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, seconds)
    return value


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- Streams ----------------------------------------------------------------------------------


def _has_tag(tag: str) -> RawSQL:
    """Case-insensitive membership in the JSON list of tags ("FPS" and "fps" are one tag)."""
    if is_postgres():
        sql = (
            'EXISTS (SELECT 1 FROM jsonb_array_elements_text("streams_stream"."tags") AS t(tag) '
            "WHERE lower(t.tag) = lower(%s))"
        )
    else:
        sql = (
            'EXISTS (SELECT 1 FROM json_each("streams_stream"."tags") AS t WHERE lower(t.value) = lower(%s))'
        )
    return RawSQL(sql, [tag], output_field=BooleanField())  # noqa: S611 (the tag is a bound parameter)


def _matching(streams: QuerySet[Stream], query: str) -> QuerySet[Stream]:
    """Streams whose title, channel or category match: full-text rank plus trigram similarity
    for typos on PostgreSQL, a plain `icontains` on SQLite. Annotates `relevance`."""
    query = query.strip()
    if not is_postgres():
        return streams.filter(
            Q(title__icontains=query)
            | Q(channel__slug__icontains=query)
            | Q(channel__display_name__icontains=query)
            | Q(category__name__icontains=query)
        ).annotate(relevance=Value(1.0, output_field=FloatField()))
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVector,
        TrigramSimilarity,
        TrigramWordSimilarity,
    )

    vector = (
        SearchVector("title", weight="A", config="simple")
        + SearchVector("channel__display_name", "channel__slug", weight="B", config="simple")
        + SearchVector("category__name", weight="C", config="simple")
    )
    search = SearchQuery(query, search_type="websearch", config="simple")
    similarity = Greatest(
        TrigramWordSimilarity(query, "title"),
        TrigramWordSimilarity(query, "channel__display_name"),
        TrigramSimilarity("channel__slug", query),
        Coalesce(TrigramWordSimilarity(query, "category__name"), Value(0.0)),
    )
    # `document=search` is the @@ match: ts_rank alone is never 0 (1e-20 for a miss), so it cannot filter.
    return (
        streams.alias(document=vector)
        .annotate(rank=SearchRank(vector, search), similarity=similarity)
        .filter(Q(document=search) | Q(similarity__gte=TRIGRAM_THRESHOLD))
        .annotate(relevance=F("rank") + F("similarity"))
    )


def directory_streams(*, filters: DirectoryFilter) -> QuerySet[Stream]:
    """The streams a directory list shows, in its order: one query, channel and category joined."""
    streams = Stream.objects.select_related("channel", "category").filter(
        status=StreamStatus.LIVE if filters.live else StreamStatus.ENDED,
        channel__suspended_at__isnull=True,
    )
    if filters.category:
        streams = streams.filter(category__slug=filters.category, category__is_active=True)
    if filters.language:
        streams = streams.filter(language=filters.language)
    if filters.tag:
        streams = streams.alias(has_tag=_has_tag(filters.tag)).filter(has_tag=True)
    if filters.q.strip():
        streams = _matching(streams, filters.q)
    sort = filters.effective_sort
    if sort == "featured":
        streams = streams.filter(channel__featured_rank__isnull=False)
    if sort == "relevance" and not filters.q.strip():
        sort = "viewers"
    return streams.order_by(*_ORDERINGS[sort])


@dataclass
class Page:
    """One page of a capped offset pagination, small enough to cache (no queryset inside)."""

    items: list[Any]
    number: int
    count: int
    page_size: int
    num_pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.num_pages = max(1, min(MAX_PAGES, -(-self.count // self.page_size)))

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1


def page_number(raw: str | None) -> int:
    """?page= read leniently for pages: garbage is page 1, past the cap is the last page allowed."""
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGES)


def _paginate(queryset: QuerySet[Any], *, number: int, page_size: int) -> Page:
    count = queryset.count()
    last = max(1, min(MAX_PAGES, -(-count // page_size)))
    number = min(number, last)
    offset = (number - 1) * page_size
    return Page(
        items=list(queryset[offset : offset + page_size]), number=number, count=count, page_size=page_size
    )


def directory_page(*, filters: DirectoryFilter, number: int = 1, page_size: int = PAGE_SIZE) -> Page:
    """A page of the directory (2 queries on a miss, none on a hit)."""
    return cached(
        f"streams:{filters.key()}:{number}:{page_size}",
        lambda: _paginate(directory_streams(filters=filters), number=number, page_size=page_size),
    )


def directory_top(*, filters: DirectoryFilter, limit: int) -> list[Stream]:
    """The first `limit` streams of a list, without the COUNT a page needs (one query on a miss)."""
    return cached(f"top:{filters.key()}:{limit}", lambda: list(directory_streams(filters=filters)[:limit]))


def live_now(*, limit: int = 12) -> list[Stream]:
    """The most watched live streams (the home page's cards)."""
    return directory_top(filters=DirectoryFilter(sort="viewers"), limit=limit)


def featured_now(*, limit: int = 6) -> list[Stream]:
    """Live streams of staff-featured channels, by rank."""
    return directory_top(filters=DirectoryFilter(sort="featured"), limit=limit)


def recommended_for(*, user: User, limit: int = 8) -> list[Stream]:
    """Live channels in the categories a viewer follows or has watched, minus the ones they follow.

    "Categories they follow" are those of the channels they follow; "watched" are those their
    followed channels streamed in lately (there is no per-viewer watch history yet). One query.
    """
    if not user.is_authenticated:
        return []
    followed = Follow.objects.filter(user=user).values("channel_id")
    followed_categories = Channel.objects.filter(pk__in=followed, category__isnull=False).values(
        "category_id"
    )
    recent = timezone.now() - timedelta(days=30)
    watched_categories = Stream.objects.filter(
        channel_id__in=followed, started_at__gte=recent, category__isnull=False
    ).values("category_id")
    streams = (
        Stream.objects.select_related("channel", "category")
        .filter(status=StreamStatus.LIVE, channel__suspended_at__isnull=True)
        .filter(Q(category_id__in=followed_categories) | Q(category_id__in=watched_categories))
        .exclude(channel_id__in=followed)
        .exclude(channel__owner_user=user)
        .order_by("-viewer_count", "-started_at", "-id")
    )
    return cached(f"recommended:{user.pk}:{limit}", lambda: list(streams[:limit]))


# --- Categories ---------------------------------------------------------------------------------


def _with_live_figures(categories: QuerySet[Category]) -> QuerySet[Category]:
    """Annotate `live_viewers` and `live_streams` (Stream.category has no reverse accessor)."""
    live = (
        Stream.objects.filter(
            status=StreamStatus.LIVE, category=OuterRef("pk"), channel__suspended_at__isnull=True
        )
        .order_by()
        .values("category")
    )
    viewers = Subquery(
        live.annotate(total=Sum("viewer_count")).values("total")[:1], output_field=IntegerField()
    )
    count = Subquery(live.annotate(total=Count("pk")).values("total")[:1], output_field=IntegerField())
    return categories.annotate(live_viewers=Coalesce(viewers, 0), live_streams=Coalesce(count, 0))


def categories_by_viewers() -> QuerySet[Category]:
    return _with_live_figures(Category.objects.filter(is_active=True)).order_by(
        "-live_viewers", "-live_streams", "name"
    )


def categories_top(*, limit: int = 8) -> list[Category]:
    return cached(f"categories-top:{limit}", lambda: list(categories_by_viewers()[:limit]))


def categories_page(*, number: int = 1) -> Page:
    return cached(
        f"categories:{number}",
        lambda: _paginate(categories_by_viewers(), number=number, page_size=CATEGORY_PAGE_SIZE),
    )


def category_get(*, slug: str) -> Category | None:
    # A list so "no such category" ([]) is cached too: None is what the cache says on a miss.
    found: list[Category] = cached(
        f"category:{hashlib.sha1(slug.encode(), usedforsecurity=False).hexdigest()}",
        lambda: list(_with_live_figures(Category.objects.filter(is_active=True, slug=slug))[:1]),
    )
    return found[0] if found else None


# --- Search -------------------------------------------------------------------------------------


@dataclass
class SearchResults:
    streams: list[Stream]
    channels: list[Channel]
    categories: list[Category]

    def __bool__(self) -> bool:
        return bool(self.streams or self.channels or self.categories)


def search_channels(*, query: str, limit: int = SEARCH_LIMIT) -> list[Channel]:
    """Channels by slug or display name (live ones first among equals); typos forgiven on PostgreSQL."""
    query = query.strip()
    channels: QuerySet[Any] = Channel.objects.filter(suspended_at__isnull=True).annotate(
        is_live=Exists(Stream.objects.filter(channel=OuterRef("pk"), status=StreamStatus.LIVE))
    )
    ordered: QuerySet[Any]
    if is_postgres():
        from django.contrib.postgres.search import TrigramSimilarity

        similarity = Greatest(TrigramSimilarity("slug", query), TrigramSimilarity("display_name", query))
        channels = channels.annotate(similarity=similarity).filter(
            Q(similarity__gte=TRIGRAM_THRESHOLD) | Q(slug__icontains=query) | Q(display_name__icontains=query)
        )
        ordered = channels.order_by("-similarity", "-is_live", "slug")
    else:
        channels = channels.filter(Q(slug__icontains=query) | Q(display_name__icontains=query))
        ordered = channels.order_by("-is_live", "slug")
    return list(ordered[:limit])


def search_categories(*, query: str, limit: int = SEARCH_LIMIT) -> list[Category]:
    query = query.strip()
    categories: QuerySet[Any] = _with_live_figures(Category.objects.filter(is_active=True))
    ordered: QuerySet[Any]
    if is_postgres():
        from django.contrib.postgres.search import TrigramWordSimilarity

        categories = categories.annotate(similarity=TrigramWordSimilarity(query, "name")).filter(
            Q(similarity__gte=TRIGRAM_THRESHOLD) | Q(name__icontains=query)
        )
        ordered = categories.order_by("-similarity", "-live_viewers", "name")
    else:
        ordered = categories.filter(name__icontains=query).order_by("-live_viewers", "name")
    return list(ordered[:limit])


def search(*, query: str, limit: int = SEARCH_LIMIT) -> SearchResults:
    """Live streams, channels and categories matching `query` (three queries, cached briefly)."""
    query = query.strip()[:100]
    if not query:
        return SearchResults(streams=[], channels=[], categories=[])

    def compute() -> SearchResults:
        streams = list(directory_streams(filters=DirectoryFilter(q=query))[:limit])
        return SearchResults(
            streams=streams,
            channels=search_channels(query=query, limit=limit),
            categories=search_categories(query=query, limit=limit),
        )

    digest = hashlib.sha1(query.lower().encode(), usedforsecurity=False).hexdigest()
    return cached(f"search:{digest}:{limit}", compute)
