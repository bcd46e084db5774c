"""`{{ name|media_url }}`: the URL of a storage name (local /media/ or the bucket/CDN)."""

from __future__ import annotations

from django import template

from vods.clips.serializers import media_url as storage_url

register = template.Library()


@register.filter
def media_url(name: str) -> str:
    return storage_url(name) or ""
