from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from aethex import views
from streams import urls as streams_urls

admin.site.site_header = "AeThex Live ops"
admin.site.site_title = "AeThex Live ops"
admin.site.index_title = "Operations console"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/", include("aethex.api.urls")),
    path("ingest/rtmp/", include(streams_urls.ingest_urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("analytics.page_urls")),  # /dashboard/ (Overview) before the rest of the dashboard
    path("dashboard/", include("channels_app.dashboard_urls")),
    path("", include("accounts.urls")),
    path("", include("chat.page_urls")),
    path("", include("streams.directory_urls")),
    path("", include("social.urls")),  # /following/, /notifications/: before the /<slug>/ catch-all
    path("", include("vods.dashboard_urls")),
    path("", include("vods.clip_urls")),
    path("", include("vods.page_urls")),
    path("", include("monetization.page_urls")),
    path("", include("integrations.page_urls")),
    path("", include("channels_app.page_urls")),
    path("", include("streams.page_urls")),  # last: /<slug>/ catches what nothing above did
]

handler400 = "aethex.views.bad_request"
handler403 = "aethex.views.permission_denied"
handler404 = "aethex.views.page_not_found"
handler500 = "aethex.views.server_error"

if settings.DEBUG and settings.MEDIA_URL.startswith("/"):
    import re

    from django.urls import re_path
    from django.views.static import serve

    # VOD files go only through vods.media's access check, never straight from /media/vods/.
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [
        re_path(rf"^{media_prefix}(?!vods/)(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]
