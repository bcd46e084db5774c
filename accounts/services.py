"""Writes on accounts: profile, preferences, avatar, API tokens, sessions and staff actions."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import PREFERENCE_FIELDS, PROFILE_FIELDS, ApiToken, User
from accounts.scopes import SCOPES
from aethex.images import avatar_from_upload

TOKEN_PREFIX = "aex_"  # noqa: S105 - a public marker, not a secret
# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _apply(user: User, fields: tuple[str, ...], changes: dict[str, Any]) -> User:
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed here."] for name in sorted(unknown)})
    for name, value in changes.items():
        setattr(user, name, value)
    try:
        user.full_clean(exclude=["password", "last_login"], validate_unique=False)
    except ValidationError:
        user.refresh_from_db(fields=list(changes))  # the caller's instance stays as stored
        raise
    user.save(update_fields=list(changes))
    return user


@transaction.atomic
def user_update_profile(*, user: User, **changes: Any) -> User:
    return _apply(user, PROFILE_FIELDS, changes)


@transaction.atomic
def user_update_preferences(*, user: User, **changes: Any) -> User:
    return _apply(user, PREFERENCE_FIELDS, changes)


@transaction.atomic
def user_update_settings(*, user: User, **changes: Any) -> User:
    """Profile and preferences together (the API's PATCH /me/): all or nothing."""
    return _apply(user, PROFILE_FIELDS + PREFERENCE_FIELDS, changes)


def user_set_avatar(*, user: User, upload: UploadedFile) -> User:
    try:
        image = avatar_from_upload(upload)  # validated and resized before any row or file changes
    except ValidationError as exc:
        raise ValidationError({"avatar": exc.messages}) from None
    old_name = user.avatar.name if user.avatar else ""
    with transaction.atomic():
        user.avatar.save(image.name or "avatar.webp", image, save=False)
        user.save(update_fields=["avatar"])
        transaction.on_commit(lambda: _delete_file(user, old_name))
    return user


@transaction.atomic
def user_clear_avatar(*, user: User) -> User:
    old_name = user.avatar.name if user.avatar else ""
    user.avatar = None
    user.save(update_fields=["avatar"])
    transaction.on_commit(lambda: _delete_file(user, old_name))
    return user


def _delete_file(user: User, name: str) -> None:
    if name:
        user.avatar.storage.delete(name)


# --- API tokens ------------------------------------------------------------------


def hash_token(secret: str) -> str:
    # The secret has 256 bits of entropy, so an unsalted SHA-256 cannot be brute-forced.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, scopes: list[str], expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored or shown again."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Give the token a name so you can recognise it later."]
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        errors["scopes"] = [f"Unknown scope: {scope}." for scope in unknown]
    elif not scopes:
        errors["scopes"] = ["Choose at least one scope."]
    if expires_in_days is not None and not 1 <= expires_in_days <= 366:
        errors["expires_in_days"] = ["Choose between 1 and 366 days, or no expiry."]
    User.objects.select_for_update().filter(pk=user.pk).first()  # serialise concurrent creations
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
    if active >= settings.API_TOKENS_PER_USER:
        errors.setdefault("name", []).append(
            f"You already have {settings.API_TOKENS_PER_USER} tokens; revoke one first."
        )
    if errors:
        raise ValidationError(errors)

    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(secret),
        scopes=sorted(set(scopes)),
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- Sessions ----------------------------------------------------------------------


def user_session_end(*, user: User, session_id: int) -> bool:
    """Sign a user out of one of their sessions. Returns False when it was not theirs or is gone."""
    session = UserSession.objects.filter(user=user, pk=session_id).first()
    if session is None:
        return False
    session.end()
    return True


def user_sessions_end_all(*, user: User, keep_session_key: str | None = None) -> int:
    ended = 0
    for session in UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or ""):
        session.end()
        ended += 1
    return ended


# --- Staff actions -------------------------------------------------------------------


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    transaction.on_commit(lambda: user_sessions_end_all(user=user))
    return user


def user_force_password_reset(*, user: User, request: HttpRequest) -> None:
    """Make the current password useless, sign the user out everywhere and mail a reset link."""
    with transaction.atomic():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user_sessions_end_all(user=user)
    form = ResetPasswordForm(data={"email": user.email})
    if form.is_valid():
        form.save(request)


@transaction.atomic
def user_mark_email_verified(*, user: User) -> EmailAddress:
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "primary": True}
    )
    address.verified = True
    address.save(update_fields=["verified"])
    return address
