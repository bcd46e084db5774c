"""The creator dashboard: create a channel, and its settings (details, branding, panels, roles).

The Stream page (key, OBS guide, live status, health, end stream) lives in streams/views.py
because it reads live sessions; both share the shell built here. Views only route: forms
shape input, services write (their ValidationErrors go back onto the form), selectors read.
A channel the user may not manage is a 404, whichever page or action names it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.models import User
from aethex.http import AuthedRequest
from channels_app import selectors, services
from channels_app.forms import (
    ChannelCreateForm,
    ChannelImagesForm,
    ChannelSettingsForm,
    PanelForm,
    RoleGrantForm,
    add_service_errors,
)
from channels_app.models import Channel

ChannelView = Callable[Concatenate[AuthedRequest, Channel, ...], HttpResponse]


def dashboard_view(*, owner_only: bool = False) -> Callable[[ChannelView], Callable[..., HttpResponse]]:
    """Resolve the channel a dashboard page works on (`?channel=<slug>`, else the user's first).

    Naming a channel the user may not manage is a 404; having none at all leads to the create form.
    """

    def decorate(view: ChannelView) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            slug = request.GET.get("channel") or request.POST.get("channel") or ""
            channel = selectors.dashboard_channel(user=request.user, slug=slug or None)
            if channel is None and not slug:
                return redirect("dashboard")
            if channel is None or (
                owner_only and not selectors.user_owns(user=request.user, channel=channel)
            ):
                raise Http404("No such channel.")
            return view(request, channel, *args, **kwargs)

        return wrapper

    return decorate


def dashboard_url(name: str, channel: Channel, *args: Any) -> str:
    return f"{reverse(name, args=args)}?channel={channel.slug}"


def dashboard_context(request: AuthedRequest, channel: Channel, section: str) -> dict[str, Any]:
    return {
        "channel": channel,
        "section": section,
        "is_owner": selectors.user_owns(user=request.user, channel=channel),
        "managed_channels": list(selectors.channels_managed_by(user=request.user)),
        "channel_query": f"?channel={channel.slug}",
    }


# --- Overview and creation ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_index(request: AuthedRequest) -> HttpResponse:
    owned = selectors.channels_owned_by(user=request.user).first()
    if owned is not None:
        return redirect(dashboard_url("dashboard", owned))
    form = ChannelCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel, key = services.channel_create(
                owner=request.user, slug=form.cleaned_data["slug"], **form.channel_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error, default_field="slug")
        else:
            # The key lives only in this response: it is stored as a keyed hash and never shown again.
            context = {**dashboard_context(request, channel, "stream"), "new_key": key}
            return render(request, "dashboard/created.html", {**context, **obs_context()})
    edited = selectors.channels_managed_by(user=request.user)
    return render(request, "dashboard/create.html", {"form": form, "edited_channels": edited})


def obs_context() -> dict[str, Any]:
    return {"rtmp_url": settings.RTMP_PUBLIC_URL}


# --- Settings ---------------------------------------------------------------------------------


@dashboard_view(owner_only=True)
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthedRequest, channel: Channel) -> HttpResponse:
    form = ChannelSettingsForm.for_channel(channel, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_update(channel=channel, **form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Channel settings saved.")
            return redirect(dashboard_url("dashboard-settings", channel))
    return render_settings(request, channel, settings_form=form)


@dashboard_view(owner_only=True)
@require_POST
def settings_images(request: AuthedRequest, channel: Channel) -> HttpResponse:
    form = ChannelImagesForm(request.POST, request.FILES)
    if form.is_valid() and _save_images(channel, form):
        messages.success(request, "Your channel’s pictures were updated.")
        return redirect(dashboard_url("dashboard-settings", channel) + "#branding")
    return render_settings(request, channel, images_form=form)


def _save_images(channel: Channel, form: ChannelImagesForm) -> bool:
    """Avatar and banner succeed or fail together."""
    try:
        with transaction.atomic():
            for kind, upload in form.uploads():
                services.channel_set_image(channel=channel, kind=kind, upload=upload)
    except ValidationError as error:
        channel.refresh_from_db()
        add_service_errors(form, error)
        return False
    return True


@dashboard_view(owner_only=True)
@require_POST
def panel_create(request: AuthedRequest, channel: Channel) -> HttpResponse:
    form = PanelForm(request.POST, prefix="new-panel")
    if form.is_valid():
        position = selectors.channel_panels(channel=channel).count()
        try:
            services.panel_create(channel=channel, position=position, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Panel added to your channel page.")
            return redirect(dashboard_url("dashboard-settings", channel) + "#panels")
    return render_settings(request, channel, new_panel_form=form)


@dashboard_view(owner_only=True)
@require_POST
def panel_update(request: AuthedRequest, channel: Channel, panel_id: int) -> HttpResponse:
    panel = get_object_or_404(selectors.channel_panels(channel=channel), pk=panel_id)
    form = PanelForm.for_panel(panel, request.POST)
    if form.is_valid():
        try:
            services.panel_update(panel=panel, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Panel saved.")
            return redirect(dashboard_url("dashboard-settings", channel) + f"#panel-{panel.pk}")
    return render_settings(request, channel, panel_forms={panel.pk: form})


@dashboard_view(owner_only=True)
@require_POST
def panel_delete(request: AuthedRequest, channel: Channel, panel_id: int) -> HttpResponse:
    panel = get_object_or_404(selectors.channel_panels(channel=channel), pk=panel_id)
    services.panel_delete(panel=panel)
    messages.success(request, "Panel removed.")
    url = dashboard_url("dashboard-settings", channel) + "#panels"
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@dashboard_view(owner_only=True)
@require_POST
def panel_move(request: AuthedRequest, channel: Channel, panel_id: int, direction: str) -> HttpResponse:
    panel = get_object_or_404(selectors.channel_panels(channel=channel), pk=panel_id)
    if direction not in ("up", "down"):
        raise Http404("No such direction.")
    services.panel_move(panel=panel, direction=direction)
    return redirect(dashboard_url("dashboard-settings", channel) + f"#panel-{panel_id}")


@dashboard_view(owner_only=True)
@require_POST
def role_grant(request: AuthedRequest, channel: Channel) -> HttpResponse:
    form = RoleGrantForm(request.POST)
    if form.is_valid():
        person, role = form.cleaned_data["username"], form.cleaned_data["role"]
        try:
            services.channel_role_grant(channel=channel, user=person, role=role, granted_by=request.user)
        except ValidationError as error:
            add_service_errors(form, error, default_field="username")
        else:
            messages.success(request, f"{person.name} is now a {role} of your channel.")
            return redirect(dashboard_url("dashboard-settings", channel) + "#roles")
    return render_settings(request, channel, role_form=form)


@dashboard_view(owner_only=True)
@require_POST
def role_revoke(request: AuthedRequest, channel: Channel, grant_id: int) -> HttpResponse:
    grant = get_object_or_404(selectors.channel_role_list(channel=channel), pk=grant_id)
    services.channel_role_revoke(grant=grant)
    messages.success(request, f"{grant.user.name} is no longer a {grant.role} of your channel.")
    return redirect(dashboard_url("dashboard-settings", channel) + "#roles")


def render_settings(request: AuthedRequest, channel: Channel, **forms: Any) -> HttpResponse:
    """The settings page with the submitted form bound (and its errors) and every other one fresh."""
    panels = list(selectors.channel_panels(channel=channel))
    bound_panels: dict[int, PanelForm] = forms.pop("panel_forms", {})
    context = {
        **dashboard_context(request, channel, "settings"),
        "settings_form": forms.get("settings_form") or ChannelSettingsForm.for_channel(channel),
        "images_form": forms.get("images_form") or ChannelImagesForm(),
        "new_panel_form": forms.get("new_panel_form") or PanelForm(prefix="new-panel"),
        "panel_rows": [(panel, bound_panels.get(panel.pk) or PanelForm.for_panel(panel)) for panel in panels],
        "max_panels": services.MAX_PANELS,
        "role_form": forms.get("role_form") or RoleGrantForm(),
        "roles": selectors.channel_role_list(channel=channel),
    }
    return render(request, "dashboard/settings.html", context)


# --- Follows: the button on the channel page and the broadcaster's followers list -------------

FOLLOWERS_PAGE_SIZE = 50


def follow_context(user: User, channel: Channel) -> dict[str, Any]:
    """What the follow button shows: the viewer's state and the channel's follower count."""
    count, following = selectors.follower_count_and_state(user=user, channel=channel)
    return {
        "channel": channel,
        "following": following,
        "follower_count": count,
        "can_follow": not selectors.user_is_broadcaster(user=user, channel=channel),
    }


@require_POST
def follow_toggle(request: AuthedRequest, slug: str) -> HttpResponse:
    """The follow button's form: works without JavaScript (redirect) and with htmx (the button)."""
    channel = selectors.channel_get(slug=slug)
    if channel is None:
        raise Http404("No such channel.")
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("channel", args=[channel.slug]))
    action = request.POST.get("action")
    if action not in ("follow", "unfollow"):
        return HttpResponseBadRequest("Follow or unfollow.")
    try:
        if action == "follow":
            services.follow_create(user=request.user, channel=channel)
        else:
            services.follow_delete(user=request.user, channel=channel)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        return render(request, "channels/_follow_button.html", follow_context(request.user, channel))
    return redirect("channel", channel.slug)


@dashboard_view(owner_only=True)
@require_GET
def followers_page(request: AuthedRequest, channel: Channel) -> HttpResponse:
    page = Paginator(selectors.followers_of(channel=channel), FOLLOWERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {**dashboard_context(request, channel, "followers"), "page": page}
    return render(request, "channels/followers.html", context)
