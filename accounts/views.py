"""HTML pages for people: the public profile and the settings pages (profile, preferences, security).

Views only route: forms shape the input, services write (their ValidationErrors go back onto
the form, so bad input is a 200 with messages, never a 500) and selectors read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import PreferencesForm, ProfileForm, TokenCreateForm, add_service_errors
from accounts.models import User
from accounts.scopes import SCOPES
from aethex.http import AuthedRequest


@require_GET
def profile(request: AuthedRequest, username: str) -> HttpResponse:
    person = selectors.user_get_public(username=username)
    if person is None:
        raise Http404("No such person.")
    is_me = request.user.is_authenticated and request.user.pk == person.pk
    return render(request, "accounts/profile.html", {"person": person, "is_me": is_me})


@login_required
@require_GET
def settings_index(request: AuthedRequest) -> HttpResponse:
    return redirect("settings-profile")


@login_required
@require_http_methods(["GET", "POST"])
def settings_profile(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST" and "remove_avatar" in request.POST:
        services.user_clear_avatar(user=request.user)
        messages.success(request, "Your avatar was removed.")
        return redirect("settings-profile")
    is_post = request.method == "POST"
    form = ProfileForm.for_user(request.user, request.POST if is_post else None, request.FILES or None)
    if is_post and form.is_valid() and _save_profile(request.user, form):
        messages.success(request, "Your profile was saved.")
        return redirect("settings-profile")
    return render(request, "accounts/settings/profile.html", {"form": form, "section": "profile"})


def _save_profile(user: User, form: ProfileForm) -> bool:
    """Profile fields and avatar succeed or fail together; the avatar is checked before any write."""
    upload = form.cleaned_data.get("avatar")
    try:
        with transaction.atomic():
            services.user_update_profile(user=user, **form.profile_changes())
            if upload:
                services.user_set_avatar(user=user, upload=upload)
    except ValidationError as error:
        user.refresh_from_db()  # the profile may have been saved before the avatar was refused
        add_service_errors(form, error, default_field="avatar" if upload else None)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def settings_preferences(request: AuthedRequest) -> HttpResponse:
    is_post = request.method == "POST"
    form = PreferencesForm.for_user(request.user, request.POST if is_post else None)
    if is_post and form.is_valid():
        try:
            services.user_update_preferences(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your preferences were saved.")
            return redirect("settings-preferences")
    return render(request, "accounts/settings/preferences.html", {"form": form, "section": "preferences"})


@login_required
@require_GET
def settings_security(request: AuthedRequest) -> HttpResponse:
    return _render_security(request, TokenCreateForm())


@login_required
@require_POST
def token_create(request: AuthedRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _render_security(request, form)
    try:
        token, secret = services.api_token_create(user=request.user, **form.token_arguments())
    except ValidationError as error:
        add_service_errors(form, error)
        return _render_security(request, form)
    # The secret lives only in this response: it is neither stored nor put in the session.
    return _render_security(request, TokenCreateForm(), new_token=token, new_secret=secret)


@login_required
@require_POST
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(selectors.api_tokens_for_user(user=request.user), pk=token_id)
    services.api_token_revoke(token=token)
    if request.htmx:
        return render(request, "accounts/settings/partials/token_row.html", {"token": token})
    messages.success(request, f"The token “{token.name}” was revoked; anything using it stops working now.")
    return redirect("settings-security")


@login_required
@require_POST
def session_end(request: AuthedRequest, session_id: int) -> HttpResponse:
    if not services.user_session_end(user=request.user, session_id=session_id):
        raise Http404("No such session.")
    if request.htmx:
        return HttpResponse("")  # htmx swaps the row out
    messages.success(request, "That device was signed out.")
    return redirect("settings-security")


def _render_security(request: AuthedRequest, form: TokenCreateForm, **extra: Any) -> HttpResponse:
    context = {
        "section": "security",
        "sessions": [
            SessionRow.build(session, request.session.session_key)
            for session in selectors.user_sessions_for_user(user=request.user)
        ],
        "tokens": selectors.api_tokens_for_user(user=request.user),
        "token_form": form,
        "scopes": SCOPES,
        **extra,
    }
    return render(request, "accounts/settings/security.html", context)


# Most recognisable token first: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


@dataclass(frozen=True)
class SessionRow:
    session: UserSession
    device: str
    is_phone: bool
    is_current: bool

    @classmethod
    def build(cls, session: UserSession, current_key: str | None) -> SessionRow:
        agent = session.user_agent or ""
        browser = next((name for marker, name in _BROWSERS if marker in agent), "")
        system = next((name for marker, name in _SYSTEMS if marker in agent), "")
        device = " on ".join(part for part in (browser, system) if part) or "Unknown device"
        is_phone = any(marker in agent for marker in ("Mobile", "iPhone", "Android"))
        return cls(session, device, is_phone, session.session_key == current_key)
