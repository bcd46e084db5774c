"""Reads for the creator's Videos page (the public library has its own selectors)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from channels_app.models import Channel
from vods.models import VOD, VODSettings, VODStatus


def channel_vods(*, channel: Channel) -> QuerySet[VOD]:
    """Every VOD of the channel, newest first, whatever its state or visibility."""
    return VOD.objects.filter(channel=channel).order_by("-created_at", "-pk")


def channel_vod(*, channel: Channel, vod_id: int) -> VOD | None:
    return VOD.objects.filter(channel=channel, pk=vod_id).first()


def channel_vod_states(*, channel: Channel, ids: list[int]) -> list[dict[str, Any]]:
    """Status and progress of the named VODs (the page polls these while any is processing)."""
    rows = (
        VOD.objects.filter(channel=channel, pk__in=ids)
        .order_by("pk")
        .values("id", "status", "progress", "failure_reason", "duration")
    )
    return [dict(row) for row in rows]


def channel_has_processing(*, channel: Channel) -> bool:
    return VOD.objects.filter(channel=channel, status=VODStatus.PROCESSING).exists()


def channel_vod_settings(*, channel: Channel) -> VODSettings:
    """The channel's archive settings, or the defaults (unsaved) when it never changed them."""
    return VODSettings.objects.filter(channel=channel).first() or VODSettings(channel=channel)
