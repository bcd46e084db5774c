"""The ops console for people: search, filters, and staff actions that go through services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts import services
from accounts.models import PREFERENCE_FIELDS, PROFILE_FIELDS, ApiToken, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "display_name", "is_active", "is_staff", "date_joined", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "theme", "language", "date_joined"]
    search_fields = ["username", "email", "display_name"]
    ordering = ["-date_joined"]
    actions = ["deactivate", "force_password_reset", "mark_email_verified"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("Profile", {"fields": ("avatar", *PROFILE_FIELDS)}),
        ("Preferences", {"fields": PREFERENCE_FIELDS}),
    )

    @admin.action(description="Deactivate (sign out everywhere, revoke API tokens)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = 0
        for user in queryset.filter(is_active=True):
            services.user_deactivate(user=user)
            count += 1
        self.message_user(request, f"Deactivated {count} account(s).", messages.SUCCESS)

    @admin.action(description="Force a password reset (sign out everywhere, e-mail a reset link)")
    def force_password_reset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = 0
        for user in queryset:
            services.user_force_password_reset(user=user, request=request)
            count += 1
        self.message_user(request, f"Sent a password reset to {count} account(s).", messages.SUCCESS)

    @admin.action(description="Mark e-mail address verified")
    def mark_email_verified(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = 0
        for user in queryset:
            services.user_mark_email_verified(user=user)
            count += 1
        self.message_user(request, f"Marked {count} e-mail address(es) verified.", messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "created_at"]
    search_fields = ["name", "prefix", "user__username", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["prefix", "token_hash", "created_at", "last_used_at"]
    actions = ["revoke"]

    @admin.action(description="Revoke")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            services.api_token_revoke(token=token)
        self.message_user(request, f"Revoked {queryset.count()} token(s).", messages.SUCCESS)
