"""Reads on accounts."""

from __future__ import annotations

from allauth.usersessions.models import UserSession
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import ApiToken, User
from accounts.services import hash_token


def user_get_public(*, username: str) -> User | None:
    return User.objects.filter(username__iexact=username, is_active=True).first()


def user_search(*, query: str, limit: int = 20) -> QuerySet[User]:
    query = query.strip()
    if not query:
        return User.objects.none()
    return User.objects.filter(
        Q(username__icontains=query) | Q(display_name__icontains=query), is_active=True
    ).order_by("username")[:limit]


def users_newest(*, limit: int = 12) -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("-date_joined")[:limit]


def api_token_for_secret(*, secret: str) -> ApiToken | None:
    """The active token with this secret, or None (unknown, revoked, expired or owner inactive)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(secret), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .first()
    )
    return token


def api_tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def user_sessions_for_user(*, user: User) -> list[UserSession]:
    return sorted(UserSession.objects.purge_and_list(user), key=lambda s: s.last_seen_at, reverse=True)
