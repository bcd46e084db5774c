"""Ops view of alerts: settings (the overlay token shown only by its first characters) and the log."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from integrations import services
from integrations.models import AlertEvent, AlertRule, AlertSettings


class AlertRuleInline(admin.TabularInline):
    model = AlertRule
    extra = 0
    can_delete = False
    fields = ["kind", "enabled", "min_amount_cents", "duration_seconds", "sound", "tts", "message_template"]
    readonly_fields = ["kind"]

    def has_add_permission(self, request: HttpRequest, obj: AlertSettings | None = None) -> bool:
        return False


@admin.register(AlertSettings)
class AlertSettingsAdmin(admin.ModelAdmin):
    list_display = ["channel", "token_hint", "token_version", "token_rotated_at", "volume"]
    list_select_related = ["channel"]
    search_fields = ["channel__slug"]
    raw_id_fields = ["channel"]
    # `token` is excluded: the admin never shows (or lets anyone type) the secret.
    fields = ["channel", "token_hint", "token_version", "token_rotated_at", "volume", "tts_min_amount_cents"]
    readonly_fields = ["channel", "token_hint", "token_version", "token_rotated_at"]
    inlines = [AlertRuleInline]
    actions = ["rotate_tokens"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # created with its rules by the dashboard (services.alert_settings_ensure)

    @admin.display(description="token")
    def token_hint(self, obj: AlertSettings) -> str:
        return obj.token_hint

    @admin.action(description="Rotate the overlay token (closes open overlays)")
    def rotate_tokens(self, request: HttpRequest, queryset: QuerySet[AlertSettings]) -> None:
        count = 0
        for settings in queryset:
            services.alert_token_rotate(settings=settings)
            count += 1
        self.message_user(request, f"Rotated {count} overlay token(s).", messages.SUCCESS)


@admin.register(AlertEvent)
class AlertEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "kind", "title"]
    list_filter = ["kind"]
    list_select_related = ["channel"]
    search_fields = ["channel__slug"]
    raw_id_fields = ["channel"]
    readonly_fields = ["channel", "kind", "payload", "created_at"]
    date_hierarchy = "created_at"

    @admin.display(description="title")
    def title(self, obj: AlertEvent) -> str:
        return str(obj.payload.get("title", ""))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
