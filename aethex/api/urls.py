"""The versioned public API: every app's api routes are mounted here under /api/v1/."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("channels_app.api_urls")),
    path("", include("social.api_urls")),
]
urlpatterns += [path("", include("streams.api_urls"))]
urlpatterns += [
    path("", include(module))
    for module in ("vods.api_urls", "vods.clip_api_urls", "monetization.api_urls", "integrations.api_urls")
]
