"""Scope checks: a view names the scopes it needs; only personal API tokens are limited by them."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from accounts.models import ApiToken

SAFE_METHODS = permissions.SAFE_METHODS


def token_scopes_needed(view: Any, method: str) -> set[str]:
    """`required_scopes = {"GET": [...], "PATCH": [...]}` or one list for every method."""
    required = getattr(view, "required_scopes", None)
    if required is None:
        return set()
    if isinstance(required, dict):
        return set(required.get(method) or required.get("*") or [])
    return set(required)


class TokenHasScope(permissions.BasePermission):
    """Default permission: open reads and writes are decided by the view; a token must hold its scopes."""

    message = "This API token lacks the scope this action needs."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not isinstance(request.auth, ApiToken):
            return True
        needed = token_scopes_needed(view, request.method or "GET")
        if getattr(view, "session_only", False):
            self.message = "This action needs a signed-in session, not an API token."
            return False
        return needed.issubset(request.auth.scopes)


class IsAuthenticatedWithScope(TokenHasScope):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated) and super().has_permission(request, view)
