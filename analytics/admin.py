"""Ops console for analytics: read-only roll-ups and raw events, and a "recompute" action.

Roll-ups are derived data (recomputed from raw rows), so staff never edit them by hand: the
action reruns the roll-up of the selected buckets instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from analytics import rollups
from analytics.models import ChannelDailyStats, ChannelHourlyStats, FollowEvent, PageVisit, TrafficDaily


class ReadOnlyAdmin(admin.ModelAdmin):
    list_select_related = ["channel"]
    raw_id_fields = ["channel"]
    search_fields = ["channel__slug"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


STATS_COLUMNS = ["channel", "bucket", "streamed_seconds", "average_viewers", "peak_viewers", "chat_messages"]


@admin.register(ChannelHourlyStats)
class ChannelHourlyStatsAdmin(ReadOnlyAdmin):
    list_display = [*STATS_COLUMNS, "follows", "unfollows", "page_visits", "computed_at"]
    date_hierarchy = "bucket"
    actions = ["recompute"]

    @admin.action(description="Recompute the selected hours from raw data")
    def recompute(self, request: HttpRequest, queryset: QuerySet[ChannelHourlyStats]) -> None:
        hours = set(queryset.values_list("bucket", flat=True))
        for hour in hours:
            rollups.rollup_hour(hour=hour)
        self.message_user(request, f"Recomputed {len(hours)} hour(s).", messages.SUCCESS)


@admin.register(ChannelDailyStats)
class ChannelDailyStatsAdmin(ReadOnlyAdmin):
    list_display = [*STATS_COLUMNS, "follows", "unfollows", "page_visits", "unique_visitors", "computed_at"]
    date_hierarchy = "bucket"
    actions = ["recompute"]

    @admin.action(description="Recompute the selected days from raw data")
    def recompute(self, request: HttpRequest, queryset: QuerySet[ChannelDailyStats]) -> None:
        days = {bucket.astimezone(dt.UTC).date() for bucket in queryset.values_list("bucket", flat=True)}
        for day in days:
            rollups.rollup_day(day=day)
        self.message_user(request, f"Recomputed {len(days)} day(s).", messages.SUCCESS)


@admin.register(TrafficDaily)
class TrafficDailyAdmin(ReadOnlyAdmin):
    list_display = ["channel", "day", "source", "referrer_host", "utm_source", "utm_campaign", "visits"]
    list_filter = ["source"]
    date_hierarchy = "day"


@admin.register(PageVisit)
class PageVisitAdmin(ReadOnlyAdmin):
    list_display = ["channel", "at", "source", "referrer_host", "utm_source", "utm_campaign", "stream"]
    list_filter = ["source"]
    raw_id_fields = ["channel", "stream"]
    date_hierarchy = "at"
    exclude = ["visitor_hash"]  # meaningless to a person, and better not copied around


@admin.register(FollowEvent)
class FollowEventAdmin(ReadOnlyAdmin):
    list_display = ["channel", "user", "delta", "at"]
    list_select_related = ["channel", "user"]
    raw_id_fields = ["channel", "user"]
    list_filter = ["delta"]
    date_hierarchy = "at"
