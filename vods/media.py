"""Serving a VOD's files after `access.can_watch` said yes: never straight from /media/vods/.

Three ways, by deployment:
- behind the nginx front door (`VODS_ACCEL_REDIRECT`): an empty answer with `X-Accel-Redirect`
  to the front door's internal location, so nginx sends the file (sendfile, ranges);
- object storage (S3/R2): playlists are read and returned (their segment names are relative,
  so every segment comes back here), segments redirect to a short-lived presigned URL;
- otherwise (tests, `runserver`): Django streams the local file.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from vods.models import VOD, Visibility

# One file name inside the VOD's folder: no slash, no leading dot (so no "..").
FILE_NAME_RE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$")
CONTENT_TYPES = {
    "m3u8": "application/vnd.apple.mpegurl",
    "ts": "video/mp2t",
    "m4s": "video/iso.segment",
    "mp4": "video/mp4",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "vtt": "text/vtt",
}
PLAYLIST_SECONDS = 300  # a VOD playlist only changes when the VOD is re-archived
SEGMENT_SECONDS = 86400  # segment names are unique per archival token


def storage_name(vod: VOD, name: str) -> str:
    """The storage name of `name` inside the VOD's folder; 404 for anything else."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not vod.storage_prefix or not FILE_NAME_RE.match(name) or extension not in CONTENT_TYPES:
        raise Http404("No such file.")
    return f"{vod.storage_prefix.strip('/')}/{name}"


def file_url(vod: VOD, stored: str) -> str:
    """The player-facing URL of a stored file of the VOD (poster, strip): through the checked view."""
    name = stored.rsplit("/", 1)[-1]
    return reverse("vod-media", args=[vod.pk, name]) if stored else ""


def _cache(response: HttpResponseBase, vod: VOD, name: str) -> HttpResponseBase:
    seconds = PLAYLIST_SECONDS if name.endswith(".m3u8") else SEGMENT_SECONDS
    # Anything not public may only sit in the viewer's own browser cache, never a CDN or proxy.
    if vod.visibility == Visibility.PUBLIC:
        patch_cache_control(response, public=True, max_age=seconds)
    else:
        patch_cache_control(response, private=True, max_age=seconds)
    return response


def _is_local() -> bool:
    try:
        default_storage.path("probe")
    except NotImplementedError:
        return False
    return True


def serve(vod: VOD, name: str) -> HttpResponseBase:
    stored = storage_name(vod, name)
    content_type = CONTENT_TYPES[name.rsplit(".", 1)[-1].lower()]
    if not default_storage.exists(stored):
        raise Http404("No such file.")
    response: HttpResponseBase
    if settings.VODS_ACCEL_REDIRECT and _is_local():
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.VODS_ACCEL_PREFIX + quote(stored)
    elif _is_local() or name.endswith(".m3u8"):
        response = FileResponse(default_storage.open(stored, "rb"), content_type=content_type)
    else:
        response = HttpResponseRedirect(_presigned_url(stored))
    return _cache(response, vod, name)


def _presigned_url(stored: str) -> str:
    # django-storages' S3 storage: sign even when the bucket's public URLs are unsigned.
    connection = default_storage.connection  # type: ignore[attr-defined]
    return str(
        connection.meta.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": default_storage.bucket_name, "Key": default_storage._normalize_name(stored)},  # type: ignore[attr-defined]
            ExpiresIn=settings.VODS_PRESIGNED_SECONDS,
        )
    )
