"""Ops console for notifications: find a person's notices, mark them read."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from social.models import GoLiveNotice, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "title", "channel", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__username", "channel__slug", "title"]
    list_select_related = ["recipient", "channel"]
    raw_id_fields = ["recipient", "channel"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["mark_read"]

    @admin.action(description="Mark as read")
    def mark_read(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        marked = queryset.filter(read_at__isnull=True).update(read_at=timezone.now())
        self.message_user(request, f"Marked {marked} notification(s) as read.", messages.SUCCESS)


@admin.register(GoLiveNotice)
class GoLiveNoticeAdmin(admin.ModelAdmin):
    list_display = ["channel", "stream_id", "notified_at"]
    list_select_related = ["channel"]
    raw_id_fields = ["channel"]
    search_fields = ["channel__slug"]
