"""Chat pages: the panel's context, popout chat, the OBS overlay, the user card, the emote list,
and the dashboard's Chat & moderation page (modes, blocked terms, held queue, moderation log).

The live work (sending, deleting, timeouts, bans) goes over the room socket; these views only
render and, on the dashboard, call the moderation services.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors as account_selectors
from accounts.models import User
from aethex.http import AuthedRequest
from channels_app import selectors as channel_selectors
from channels_app.models import Channel
from channels_app.views import dashboard_context
from chat import selectors
from chat.forms import BlockedTermForm, ChatModesForm
from chat.services import moderation
from chat.services.messages import ChatRefused

MAX_FADE_SECONDS = 3600
TIMEOUT_CHOICES = [(60, "1 min"), (600, "10 min"), (3600, "1 h"), (86400, "24 h")]


def _channel_or_404(slug: str) -> Channel:
    channel = channel_selectors.channel_get(slug=slug)
    if channel is None or channel.is_suspended:
        raise Http404("No such channel.")
    return channel


def panel_context(request: HttpRequest, channel: Channel, variant: str = "panel") -> dict[str, Any]:
    """What the chat panel's markup needs (the socket says the rest once connected)."""
    user: Any = request.user
    block, until = selectors.send_block(channel=channel, user=user)
    slug = channel.slug
    return {
        "channel": channel,
        "variant": variant,
        "ws_path": f"/ws/chat/{slug}/",
        "emotes_url": reverse("chat-emotes", args=[slug]),
        "card_url": reverse("chat-user-card", args=[slug, "_"]).removesuffix("_"),
        "popout_url": reverse("chat-popout", args=[slug]),
        "login_url": f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}",
        "verify_url": reverse("account_email"),
        "signed_in": user.is_authenticated,
        "username": user.username if user.is_authenticated else "",
        "block": block,
        "block_until": datetime.datetime.fromtimestamp(until, tz=datetime.UTC).isoformat() if until else "",
    }


# --- Popout and overlay ----------------------------------------------------------------------


@require_GET
def popout(request: HttpRequest, slug: str) -> HttpResponse:
    channel = _channel_or_404(slug)
    return render(request, "chat/popout.html", panel_context(request, channel, "popout"))


@xframe_options_exempt  # OBS browser sources do not frame, but other overlay tools do
@require_GET
def overlay(request: HttpRequest, slug: str) -> HttpResponse:
    channel = _channel_or_404(slug)
    try:
        fade = max(0, min(int(request.GET.get("fade", "0")), MAX_FADE_SECONDS))
    except ValueError:
        fade = 0
    # ?overlay=1: an OBS browser source reads the room but is not a viewer.
    context = {"channel": channel, "ws_path": f"/ws/chat/{channel.slug}/?overlay=1", "fade": fade}
    return render(request, "chat/overlay.html", context)


# --- The user card and the emote list ---------------------------------------------------------


@require_GET
def user_card(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    channel = _channel_or_404(slug)
    target = account_selectors.user_get_public(username=username)
    if target is None:
        raise Http404("No such user.")
    viewer: Any = request.user
    is_mod = channel_selectors.user_can_moderate(user=viewer, channel=channel)
    context: dict[str, Any] = {
        "channel": channel,
        "target": target,
        "is_mod": is_mod,
        "badges": selectors.member_facts(channel=channel, user=target)["badges"],
        "recent": selectors.user_card_messages(channel=channel, user=target, include_hidden=is_mod),
        "is_me": viewer.is_authenticated and viewer.pk == target.pk,
    }
    if is_mod:
        context.update(
            actions=selectors.user_mod_actions(channel=channel, user=target),
            ban=selectors.channel_ban_of(channel=channel, user=target),
            can_act=_can_act_on(channel, viewer, target),
            timeouts=TIMEOUT_CHOICES,
        )
    return render(request, "chat/_user_card.html", context)


def _can_act_on(channel: Channel, moderator: User, target: User) -> bool:
    """Mirrors the moderation service's rule, only to hide buttons the service would refuse."""
    if target.pk == moderator.pk or target.pk == channel.owner_user_id or target.is_staff:
        return False
    is_boss = moderator.is_staff or moderator.pk == channel.owner_user_id
    return is_boss or not channel_selectors.user_can_moderate(user=target, channel=channel)


@require_GET
def emotes_json(request: HttpRequest, slug: str) -> JsonResponse:
    channel = _channel_or_404(slug)
    response = JsonResponse(selectors.emote_picker(channel=channel))
    response["Cache-Control"] = "public, max-age=60"
    return response


# --- Dashboard: Chat & moderation -------------------------------------------------------------

ChatView = Callable[Concatenate[AuthedRequest, Channel, ...], HttpResponse]


def chat_dashboard_view(view: ChatView) -> Callable[..., HttpResponse]:
    """The channel whose chat is run (`?channel=<slug>`, else the user's first): broadcaster,
    staff and the channel's moderators only; any other channel named is a 404."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        slug = request.GET.get("channel") or request.POST.get("channel") or ""
        if slug:
            channel = channel_selectors.channel_get(slug=slug)
            if channel is None or not channel_selectors.user_can_moderate(user=request.user, channel=channel):
                raise Http404("No such channel.")
        else:
            channel = selectors.channels_moderated_by(user=request.user).first()
            if channel is None:
                return redirect("dashboard")
        return view(request, channel, *args, **kwargs)

    return wrapper


def _chat_url(channel: Channel, anchor: str = "") -> str:
    return f"{reverse('dashboard-chat')}?channel={channel.slug}{anchor}"


def _render_chat_page(request: AuthedRequest, channel: Channel, **forms: Any) -> HttpResponse:
    chat = selectors.chat_settings(channel=channel)
    context = {
        **dashboard_context(request, channel, "chat"),
        "moderator_only": not channel_selectors.user_can_manage(user=request.user, channel=channel),
        "modes_form": forms.get("modes_form") or ChatModesForm.for_settings(chat),
        "term_form": forms.get("term_form") or BlockedTermForm(),
        "terms": selectors.blocked_term_list(channel=channel),
        "held": selectors.held_queue(channel=channel)[:100],
        "log": selectors.moderation_log(channel=channel),
        "now": timezone.now(),
    }
    return render(request, "chat/dashboard.html", context)


@chat_dashboard_view
@require_GET
def dashboard_chat(request: AuthedRequest, channel: Channel) -> HttpResponse:
    return _render_chat_page(request, channel)


@chat_dashboard_view
@require_POST
def dashboard_chat_modes(request: AuthedRequest, channel: Channel) -> HttpResponse:
    form = ChatModesForm(request.POST)
    if form.is_valid():
        try:
            moderation.chat_settings_update(channel=channel, moderator=request.user, **form.modes())
        except ChatRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "Chat modes saved. Chat was told.")
            return redirect(_chat_url(channel, "#modes"))
    return _render_chat_page(request, channel, modes_form=form)


@chat_dashboard_view
@require_POST
def dashboard_term_add(request: AuthedRequest, channel: Channel) -> HttpResponse:
    form = BlockedTermForm(request.POST)
    if form.is_valid():
        try:
            term = moderation.blocked_term_add(
                channel=channel, pattern=form.cleaned_data["pattern"], moderator=request.user
            )
        except ChatRefused as refused:
            form.add_error("pattern", refused.message)
        else:
            messages.success(request, f"“{term.pattern}” is blocked: messages with it are held.")
            return redirect(_chat_url(channel, "#terms"))
    return _render_chat_page(request, channel, term_form=form)


@chat_dashboard_view
@require_POST
def dashboard_term_remove(request: AuthedRequest, channel: Channel, term_id: int) -> HttpResponse:
    term = get_object_or_404(selectors.blocked_term_list(channel=channel), pk=term_id)
    moderation.blocked_term_remove(term=term, moderator=request.user)
    messages.success(request, f"“{term.pattern}” is no longer blocked.")
    return redirect(_chat_url(channel, "#terms"))


@chat_dashboard_view
@require_http_methods(["POST"])
def dashboard_held_resolve(
    request: AuthedRequest, channel: Channel, message_id: int, verdict: str
) -> HttpResponse:
    message = get_object_or_404(selectors.held_queue(channel=channel), pk=message_id)
    if verdict == "approve":
        moderation.held_approve(message=message, moderator=request.user)
        messages.success(request, f"{message.user.name}’s message is now in chat.")
    elif verdict == "deny":
        moderation.held_deny(message=message, moderator=request.user)
        messages.success(request, f"{message.user.name}’s message was denied; nobody saw it.")
    else:
        raise Http404("No such verdict.")
    return redirect(_chat_url(channel, "#held"))
