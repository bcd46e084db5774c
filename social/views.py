"""Pages of the signed-in viewer: /following/ (with each channel's notify switch) and /notifications/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from aethex.http import AuthedRequest
from channels_app import selectors as channel_selectors
from channels_app import services as channel_services
from social import selectors, services

PAGE_SIZE = 24


@login_required
@require_GET
def following_page(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.following_with_live(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "social/following.html", {"page": page})


@login_required
@require_POST
def following_notify(request: AuthedRequest, slug: str) -> HttpResponse:
    channel = channel_selectors.channel_get(slug=slug)
    follow = channel and channel_selectors.follow_get(user=request.user, channel=channel)
    if not follow:
        raise Http404("You don’t follow this channel.")
    notify = request.POST.get("notify") == "on"
    channel_services.follow_set_notify(follow=follow, notify=notify)
    if request.htmx:
        return render(request, "social/_notify_toggle.html", {"follow": follow})
    messages.success(
        request,
        f"You’ll hear when {follow.channel.name} goes live."
        if notify
        else f"No more go-live notices from {follow.channel.name}.",
    )
    return redirect(_back(request, "following"))


@login_required
@require_GET
def notifications_page(request: AuthedRequest) -> HttpResponse:
    found = selectors.notifications_of(user=request.user)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread": selectors.unread_count(user=request.user)}
    return render(request, "social/notifications.html", context)


@login_required
@require_POST
def notification_read(request: AuthedRequest, notification_id: int) -> HttpResponse:
    notification = selectors.notification_get(user=request.user, notification_id=notification_id)
    if notification is None:
        raise Http404("No such notification.")
    services.notification_mark_read(notification=notification)
    if request.POST.get("open") and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect(_back(request, "notifications"))


@login_required
@require_POST
def notifications_read_all(request: AuthedRequest) -> HttpResponse:
    marked = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"Marked {marked} notification(s) as read." if marked else "All caught up.")
    return redirect(_back(request, "notifications"))


def _back(request: AuthedRequest, default: str) -> str:
    """Return to the page the form was on (same site only), else the default page."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return f"/{default}/"
