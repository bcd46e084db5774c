"""Ops console for live streams: who is live, how healthy, how watched and trending, and ending a stream."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest

from streams import services
from streams.models import EndReason, HealthSample, Stream


def _latest(field: str) -> Subquery:
    return Subquery(
        HealthSample.objects.filter(stream=OuterRef("pk")).order_by("-taken_at").values(field)[:1]
    )


class FeaturedChannelFilter(admin.SimpleListFilter):
    """Streams of channels staff feature in the directory (ranked on the Channel admin's list)."""

    title = "featured channel"
    parameter_name = "featured"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Featured"), ("no", "Not featured")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Stream]) -> QuerySet[Stream]:
        if self.value() in ("yes", "no"):
            return queryset.filter(channel__featured_rank__isnull=self.value() == "no")
        return queryset


@admin.register(Stream)
class StreamAdmin(admin.ModelAdmin):
    list_display = [
        "channel",
        "status",
        "title",
        "started_at",
        "ended_at",
        "viewer_count",
        "peak_viewers",
        "trending_score",
        "featured_rank",
        "bitrate_kbps",
        "fps",
        "resolution",
        "end_reason",
    ]
    list_filter = ["status", FeaturedChannelFilter, "end_reason", "started_at"]
    search_fields = ["channel__slug", "title", "ingest_node"]
    list_select_related = ["channel", "category"]
    raw_id_fields = ["channel", "category"]
    date_hierarchy = "started_at"
    readonly_fields = ["ingest_node", "ingest_client_id", "publisher_addr", "recordings", "last_update_at"]
    actions = ["end_stream"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Stream]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                latest_bitrate=_latest("bitrate_in"),
                latest_fps=_latest("fps_declared"),
                latest_width=_latest("width"),
                latest_height=_latest("height"),
            )
        )

    @admin.display(description="featured", ordering="channel__featured_rank")
    def featured_rank(self, stream: Stream) -> str:
        rank = stream.channel.featured_rank
        return f"#{rank}" if rank is not None else "–"

    @admin.display(description="kbit/s")
    def bitrate_kbps(self, stream: Any) -> str:
        return f"{stream.latest_bitrate // 1000}" if stream.latest_bitrate is not None else "–"

    @admin.display(description="fps")
    def fps(self, stream: Any) -> str:
        return f"{stream.latest_fps:.0f}" if stream.latest_fps is not None else "–"

    @admin.display(description="resolution")
    def resolution(self, stream: Any) -> str:
        return f"{stream.latest_width}×{stream.latest_height}" if stream.latest_width else "–"

    @admin.action(description="End stream (drops the publisher)")
    def end_stream(self, request: HttpRequest, queryset: QuerySet[Stream]) -> None:
        live = list(queryset.filter(status="live"))
        for stream in live:
            services.stream_end(stream=stream, reason=EndReason.ENDED_BY_STAFF)
        self.message_user(request, f"Ended {len(live)} stream(s).", messages.SUCCESS)
