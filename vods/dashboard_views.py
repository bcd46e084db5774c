"""The dashboard's Videos page: the channel's VODs (progress, retry, edit, delete) and archive settings.

Owner and editors manage it (channels_app's `dashboard_view`); a channel the user may not
manage, or a VOD of another channel, is a 404. Views route only: forms shape, services write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from aethex.http import AuthedRequest
from channels_app.forms import add_service_errors
from channels_app.models import Channel
from channels_app.views import dashboard_context, dashboard_url, dashboard_view
from vods import archive_selectors as selectors
from vods.dashboard_forms import VODEditForm, VODSettingsForm
from vods.media import file_url
from vods.models import VOD, VODStatus
from vods.services import archive

PAGE_SIZE = 20
MAX_POLLED = 100


def format_duration(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _vod_or_404(channel: Channel, vod_id: int) -> VOD:
    vod = selectors.channel_vod(channel=channel, vod_id=vod_id)
    if vod is None:
        raise Http404("No such video.")
    return vod


def _back(channel: Channel, request: AuthedRequest) -> HttpResponse:
    page = request.POST.get("page") or ""
    suffix = f"&page={page}" if page.isdigit() else ""
    return redirect(dashboard_url("dashboard-videos", channel) + suffix)


@dashboard_view()
@require_GET
def videos_page(request: AuthedRequest, channel: Channel) -> HttpResponse:
    return render_videos(request, channel)


def render_videos(request: AuthedRequest, channel: Channel, **bound: Any) -> HttpResponse:
    """The page with the submitted form (and its errors) bound and every other one fresh."""
    page_number = request.GET.get("page") or request.POST.get("page")
    page = Paginator(selectors.channel_vods(channel=channel), PAGE_SIZE).get_page(page_number)
    edits: dict[int, VODEditForm] = bound.get("edit_forms", {})
    rows = [
        {
            "vod": vod,
            "form": edits.get(vod.pk) or VODEditForm.for_vod(vod),
            "editing": vod.pk in edits,
            "duration": format_duration(vod.duration) if vod.duration else "",
            "poster_url": file_url(vod, vod.poster),
        }
        for vod in page.object_list
    ]
    options = selectors.channel_vod_settings(channel=channel)
    context = {
        **dashboard_context(request, channel, "videos"),
        "page": page,
        "rows": rows,
        "settings_form": bound.get("settings_form") or VODSettingsForm.for_settings(options),
        "settings_open": "settings_form" in bound,
        "any_processing": any(row["vod"].status == VODStatus.PROCESSING for row in rows),
        "switcher_action": dashboard_url("dashboard-videos", channel).split("?")[0],
    }
    return render(request, "vods/dashboard/videos.html", context)


@dashboard_view()
@require_GET
def videos_progress(request: AuthedRequest, channel: Channel) -> JsonResponse:
    """What the page polls every few seconds while a VOD is processing: `?ids=1,2,3`."""
    raw = [part for part in request.GET.get("ids", "").split(",") if part]
    if not raw or len(raw) > MAX_POLLED or not all(part.isdigit() for part in raw):
        message = f"Give `ids`: 1 to {MAX_POLLED} video ids, comma-separated."
        return JsonResponse({"error": {"code": "bad_ids", "message": message, "fields": {}}}, status=400)
    states = selectors.channel_vod_states(channel=channel, ids=[int(part) for part in raw])
    return JsonResponse({"vods": states})


@dashboard_view()
@require_POST
def vod_edit(request: AuthedRequest, channel: Channel, vod_id: int) -> HttpResponse:
    vod = _vod_or_404(channel, vod_id)
    form = VODEditForm.for_vod(vod, request.POST)
    if form.is_valid():
        try:
            archive.vod_update(vod=vod, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error, default_field="title")
        else:
            messages.success(request, "Video saved.")
            return _back(channel, request)
    return render_videos(request, channel, edit_forms={vod.pk: form})


@dashboard_view()
@require_POST
def vod_delete(request: AuthedRequest, channel: Channel, vod_id: int) -> HttpResponse:
    vod = _vod_or_404(channel, vod_id)
    archive.vod_delete(vod=vod)
    messages.success(request, f"“{vod}” was deleted, with its files.")
    return _back(channel, request)


@dashboard_view()
@require_POST
def vod_retry(request: AuthedRequest, channel: Channel, vod_id: int) -> HttpResponse:
    vod = _vod_or_404(channel, vod_id)
    try:
        archive.vod_retry(vod=vod)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Archiving again: the progress shows below.")
    return _back(channel, request)


@dashboard_view()
@require_POST
def videos_settings(request: AuthedRequest, channel: Channel) -> HttpResponse:
    form = VODSettingsForm(request.POST, prefix="archive")
    if form.is_valid():
        try:
            archive.vod_settings_update(channel_id=channel.pk, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Archive settings saved.")
            return redirect(dashboard_url("dashboard-videos", channel) + "#archive-settings")
    return render_videos(request, channel, settings_form=form)
