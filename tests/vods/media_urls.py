"""The site's URLs plus /media/ served from the test's MEDIA_ROOT (read at request time), so
Chromium can load rendered clips and VOD playlists from `live_server` (nginx serves them in production)."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.urls import re_path
from django.views.static import serve

from aethex.urls import handler400, handler403, handler404, handler500
from aethex.urls import urlpatterns as site_urlpatterns


def media(request: HttpRequest, path: str) -> FileResponse:
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *site_urlpatterns]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
