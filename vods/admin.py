"""Ops console for VODs: find a failed archive, read why, retry it; per-channel archive settings."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from vods.models import VOD, VODSettings
from vods.services import archive


@admin.register(VOD)
class VODAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "channel",
        "status",
        "progress",
        "attempts",
        "duration",
        "visibility",
        "created_at",
    ]
    list_filter = ["status", "visibility", "created_at"]
    search_fields = ["title", "channel__slug", "channel__display_name", "failure_reason"]
    list_select_related = ["channel"]
    raw_id_fields = ["channel", "stream"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "status",
        "progress",
        "attempts",
        "failure_reason",
        "storage_prefix",
        "duration",
        "size_bytes",
        "width",
        "height",
        "poster",
        "strip",
        "ready_at",
    ]
    actions = ["retry"]

    @admin.action(description="Retry archiving (failed videos)")
    def retry(self, request: HttpRequest, queryset: QuerySet[VOD]) -> None:
        retried, skipped = 0, 0
        for vod in queryset:
            try:
                archive.vod_retry(vod=vod)
            except ValidationError:
                skipped += 1
            else:
                retried += 1
        self.message_user(request, f"{retried} video(s) queued for archiving again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} skipped: only failed videos can be retried.", messages.WARNING
            )


@admin.register(VODSettings)
class VODSettingsAdmin(admin.ModelAdmin):
    list_display = ["channel", "archive_enabled", "default_visibility", "retention_days"]
    list_filter = ["archive_enabled", "default_visibility"]
    search_fields = ["channel__slug"]
    list_select_related = ["channel"]
    raw_id_fields = ["channel"]
