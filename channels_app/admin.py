"""Ops console for channels: suspend (drops the publisher, refuses new publishes), rotate keys, roles."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from channels_app import services
from channels_app.models import Category, Channel, ChannelPanel, ChannelRole, Follow


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class ChannelRoleInline(admin.TabularInline):
    model = ChannelRole
    fk_name = "channel"
    raw_id_fields = ["user", "granted_by"]
    extra = 0


class ChannelPanelInline(admin.StackedInline):
    model = ChannelPanel
    extra = 0


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["slug", "owner_user", "title", "category", "abr_enabled", "suspended_at", "created_at"]
    list_filter = [
        ("suspended_at", admin.EmptyFieldListFilter),
        "abr_enabled",
        "is_mature",
        "category",
        "language",
    ]
    search_fields = ["slug", "display_name", "title", "owner_user__username", "owner_user__email"]
    list_select_related = ["owner_user", "category"]
    raw_id_fields = ["owner_user"]
    readonly_fields = ["stream_key_prefix", "stream_key_created_at", "suspended_at", "created_at"]
    exclude = ["stream_key_hash"]
    inlines = [ChannelRoleInline, ChannelPanelInline]
    actions = ["suspend", "unsuspend", "rotate_key"]

    @admin.action(description="Suspend (drop the live publisher, refuse new publishes)")
    def suspend(self, request: HttpRequest, queryset: QuerySet[Channel]) -> None:
        channels = list(queryset.filter(suspended_at__isnull=True))
        for channel in channels:
            services.channel_suspend(channel=channel, reason=f"Suspended by {request.user}")
        self.message_user(request, f"Suspended {len(channels)} channel(s).", messages.SUCCESS)

    @admin.action(description="Lift the suspension")
    def unsuspend(self, request: HttpRequest, queryset: QuerySet[Channel]) -> None:
        channels = list(queryset.filter(suspended_at__isnull=False))
        for channel in channels:
            services.channel_unsuspend(channel=channel)
        self.message_user(request, f"Unsuspended {len(channels)} channel(s).", messages.SUCCESS)

    @admin.action(
        description="Rotate the stream key (drops the live publisher; the owner rotates again to see a key)"
    )
    def rotate_key(self, request: HttpRequest, queryset: QuerySet[Channel]) -> None:
        channels = list(queryset)
        for channel in channels:
            services.stream_key_rotate(channel=channel)  # the new key is not shown to staff on purpose
        self.message_user(request, f"Rotated the key of {len(channels)} channel(s).", messages.SUCCESS)


# Directory curation (issue 5, streams/directory.py): staff rank featured channels right on the
# list (1 = first; blank = not featured). Appended by the directory helper to stay out of the way.
ChannelAdmin.list_display = [*ChannelAdmin.list_display, "featured_rank"]
ChannelAdmin.list_editable = ["featured_rank"]
ChannelAdmin.list_filter = [*ChannelAdmin.list_filter, ("featured_rank", admin.EmptyFieldListFilter)]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    """A big table (every follow of every viewer): raw ids, joined columns, searched by name."""

    list_display = ["user", "channel", "notify", "created_at"]
    list_filter = ["notify"]
    search_fields = ["user__username", "channel__slug"]
    list_select_related = ["user", "channel"]
    raw_id_fields = ["user", "channel"]
    date_hierarchy = "created_at"
    show_full_result_count = False  # COUNT(*) on millions of rows on every page is not worth it
