"""Alerts pages: the OBS overlay (token in the query string) and the dashboard's Alerts page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aethex.http import AuthedRequest
from channels_app.models import Channel
from channels_app.views import dashboard_context, dashboard_url, dashboard_view
from integrations import selectors, services
from integrations.forms import AlertRuleFormSet, AlertSettingsForm
from integrations.models import AlertKind, AlertSettings

EVENTS_PER_PAGE = 10


def _private(response: HttpResponse) -> HttpResponse:
    # The URL carries the secret: nothing may cache the page or send the URL on as a Referer.
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@xframe_options_sameorigin  # the dashboard previews it in an iframe; OBS does not frame
@require_GET
def overlay(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.alert_settings_for_token(slug=slug, token=request.GET.get("token", ""))
    if found is None:
        # Plain and identical for an unknown channel and a wrong token: no hint either way.
        return _private(HttpResponse("Forbidden", status=403, content_type="text/plain; charset=utf-8"))
    ws_path = f"/ws/overlay/{found.channel.slug}/alerts/"
    return _private(
        render(request, "integrations/overlay.html", {"channel": found.channel, "ws_path": ws_path})
    )


def overlay_url(request: HttpRequest, settings: AlertSettings) -> str:
    path = reverse("alerts-overlay", args=[settings.channel.slug])
    return request.build_absolute_uri(f"{path}?token={settings.token}")


def _render_page(
    request: AuthedRequest, channel: Channel, settings: AlertSettings, form: Any = None, rules: Any = None
) -> HttpResponse:
    page = Paginator(selectors.alert_events_recent(channel=channel), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        **dashboard_context(request, channel, "alerts"),
        "settings": settings,
        "form": form or AlertSettingsForm(instance=settings),
        "rules": rules or AlertRuleFormSet(queryset=selectors.alert_rules(settings=settings), prefix="rules"),
        "overlay_url": overlay_url(request, settings),
        "kinds": AlertKind.choices,
        "page": page,
        "extra_query": f"channel={channel.slug}",
    }
    response = render(
        request, "integrations/dashboard.html", context, status=400 if form is not None else 200
    )
    # The page holds the overlay URL: no shared cache keeps it, no Referer carries it off-site.
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "same-origin"
    return response


@dashboard_view()
@require_http_methods(["GET", "POST"])
def dashboard_alerts(request: AuthedRequest, channel: Channel) -> HttpResponse:
    settings = services.alert_settings_ensure(channel=channel)
    if request.method != "POST":
        return _render_page(request, channel, settings)
    form = AlertSettingsForm(request.POST, instance=settings)
    rules = AlertRuleFormSet(request.POST, queryset=selectors.alert_rules(settings=settings), prefix="rules")
    if form.is_valid() and rules.is_valid():
        changes = {rule_form.instance.pk: rule_form.changes() for rule_form in rules.forms}
        try:
            services.alert_settings_update(settings=settings, fields=form.changes(), rules=changes)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Alert settings saved.")
            return redirect(dashboard_url("dashboard-alerts", channel))
    return _render_page(request, channel, settings, form=form, rules=rules)


@dashboard_view()
@require_POST
def dashboard_alerts_rotate(request: AuthedRequest, channel: Channel) -> HttpResponse:
    services.alert_token_rotate(settings=services.alert_settings_ensure(channel=channel))
    messages.success(request, "New overlay URL created. The old one stopped working: update OBS.")
    return redirect(dashboard_url("dashboard-alerts", channel) + "#overlay")


@dashboard_view()
@require_POST
def dashboard_alerts_replay(request: AuthedRequest, channel: Channel, event_id: int) -> HttpResponse:
    event = selectors.alert_event_get(channel=channel, event_id=event_id)
    if event is None:
        raise Http404("No such alert.")
    alert = services.alert_replay(event=event)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"alert": alert})
    messages.success(request, "Alert sent to your overlay again.")
    return redirect(dashboard_url("dashboard-alerts", channel) + "#recent")


@dashboard_view()
@require_POST
def dashboard_alerts_test(request: AuthedRequest, channel: Channel) -> HttpResponse:
    kind = request.POST.get("kind", "")
    wants_json = "application/json" in request.headers.get("Accept", "")
    if kind not in AlertKind.values:
        error = {
            "code": "invalid",
            "message": "Unknown alert kind.",
            "fields": {"kind": ["Unknown alert kind."]},
        }
        if wants_json:
            return JsonResponse({"error": error}, status=400)
        messages.error(request, "Unknown alert kind.")
        return redirect(dashboard_url("dashboard-alerts", channel))
    alert = services.alert_send_test(settings=services.alert_settings_ensure(channel=channel), kind=kind)
    if wants_json:
        return JsonResponse({"alert": alert})
    messages.success(request, f"Test {AlertKind(kind).label.lower()} alert sent to your overlay.")
    return redirect(dashboard_url("dashboard-alerts", channel))
