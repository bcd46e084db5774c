"""Channel pages' actions under /<slug>/...: the follow button's form (the page itself is streams')."""

from __future__ import annotations

from django.urls import re_path

from channels_app import views

urlpatterns = [
    re_path(r"^(?P<slug>[A-Za-z0-9_]{3,25})/follow/$", views.follow_toggle, name="channel-follow"),
]
