"""Ops console for clips: find by title, channel or creator; delete through the service (files too)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from vods.clips import services
from vods.models import Clip


@admin.register(Clip)
class ClipAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "channel", "creator", "status", "duration", "views", "likes_count",
                    "featured", "created_at"]  # fmt: skip
    list_filter = ["status", "featured", "created_at"]
    search_fields = ["title", "slug", "channel__slug", "creator__username"]
    list_select_related = ["channel", "creator"]
    raw_id_fields = ["channel", "stream", "vod", "creator"]
    date_hierarchy = "created_at"
    readonly_fields = ["video", "poster", "rendered_duration", "views", "likes_count", "failure_reason"]
    actions = ["delete_clips", "rerender"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would leave the files behind
        return actions

    @admin.action(description="Delete selected clips and their files", permissions=["delete"])
    def delete_clips(self, request: HttpRequest, queryset: QuerySet[Clip]) -> None:
        count = 0
        for clip in queryset:
            services.clip_delete_unchecked(clip=clip)
            count += 1
        self.message_user(request, f"Deleted {count} clip(s).", messages.SUCCESS)

    @admin.action(description="Render again", permissions=["change"])
    def rerender(self, request: HttpRequest, queryset: QuerySet[Clip]) -> None:
        count = services.clips_rerender(clip_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"Queued {count} clip(s) for rendering.", messages.SUCCESS)

    def delete_model(self, request: HttpRequest, obj: Clip) -> None:
        services.clip_delete_unchecked(clip=obj)
