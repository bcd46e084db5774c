"""Pages at the top level: the dashboard's Stream page, the embeddable player and, last, /<slug>/.

The Stream page's routes sit here rather than in channels_app/dashboard_urls.py because they
read live sessions (streams builds on channels_app); "dashboard" and "embed" are reserved slugs.
"""

from __future__ import annotations

from django.urls import path, re_path

from streams import views

SLUG = r"(?P<slug>[A-Za-z0-9_]{3,25})"

urlpatterns = [
    path("dashboard/stream/", views.dashboard_stream, name="dashboard-stream"),
    path("dashboard/stream/key/rotate/", views.stream_key_rotate, name="dashboard-key-rotate"),
    path("dashboard/stream/end/", views.stream_end, name="dashboard-stream-end"),
    path("dashboard/stream/health.json", views.stream_health, name="dashboard-stream-health"),
    re_path(rf"^embed/{SLUG}/$", views.embed, name="channel-embed"),
    re_path(rf"^{SLUG}/$", views.channel_page, name="channel"),
]
