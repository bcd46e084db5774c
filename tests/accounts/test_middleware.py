from __future__ import annotations

import pytest
from django.utils import timezone, translation

from accounts.middleware import UserLocaleMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def seen_by(user, rf):
    seen = {}

    def view(request):
        seen["tz"] = timezone.get_current_timezone_name()
        seen["lang"] = translation.get_language()
        return None

    request = rf.get("/")
    request.user = user
    UserLocaleMiddleware(view)(request)
    return seen


def test_signed_in_user_gets_their_time_zone_and_language(rf):
    user = UserFactory(time_zone="Asia/Tokyo", language="fr")
    assert seen_by(user, rf) == {"tz": "Asia/Tokyo", "lang": "fr"}


def test_anonymous_viewer_gets_utc(rf):
    from django.contrib.auth.models import AnonymousUser

    assert seen_by(AnonymousUser(), rf)["tz"] == "UTC"


def test_zone_gone_from_tzdata_falls_back_to_utc(rf):
    user = UserFactory()
    user.time_zone = "Atlantis/Capital"  # saved before validation existed, say
    assert seen_by(user, rf)["tz"] == "UTC"
