"""PATCH and DELETE /api/v1/vods/{id}/: the channel's team edits and deletes through the archive services."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from accounts import services as account_services
from channels_app.models import ChannelRole, Role
from tests.vods.factories import ViewerFactory, VODFactory
from vods.models import VOD, Visibility

pytestmark = pytest.mark.django_db(transaction=True)  # the files go after commit


def _signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_owner_renames_and_hides_a_vod():
    vod = VODFactory()
    response = _signed_in(vod.channel.owner_user).patch(
        f"/api/v1/vods/{vod.pk}/", {"title": "  Speedrun night ", "visibility": "private"}, format="json"
    )
    assert response.status_code == 200 and response.json()["title"] == "Speedrun night"
    vod.refresh_from_db()
    assert (vod.title, vod.visibility) == ("Speedrun night", Visibility.PRIVATE)


def test_an_editor_may_edit_but_a_viewer_gets_403_and_a_stranger_404_on_private():
    vod = VODFactory()
    editor, viewer = ViewerFactory(), ViewerFactory()
    ChannelRole.objects.create(channel=vod.channel, user=editor, role=Role.EDITOR)
    assert (
        _signed_in(editor).patch(f"/api/v1/vods/{vod.pk}/", {"title": "x"}, format="json").status_code == 200
    )
    assert (
        _signed_in(viewer).patch(f"/api/v1/vods/{vod.pk}/", {"title": "y"}, format="json").status_code == 403
    )
    hidden = VODFactory(visibility=Visibility.PRIVATE)
    assert _signed_in(viewer).delete(f"/api/v1/vods/{hidden.pk}/").status_code == 404
    assert APIClient().delete(f"/api/v1/vods/{vod.pk}/").status_code in (401, 403)
    assert VOD.objects.filter(pk__in=[vod.pk, hidden.pk]).count() == 2


def test_bad_visibility_is_a_400_and_changes_nothing():
    vod = VODFactory()
    response = _signed_in(vod.channel.owner_user).patch(
        f"/api/v1/vods/{vod.pk}/", {"visibility": "everyone", "title": "new"}, format="json"
    )
    assert response.status_code == 400 and "visibility" in response.json()["error"]["fields"]
    vod.refresh_from_db()
    assert vod.visibility == Visibility.PUBLIC and vod.title != "new"


def test_delete_removes_the_row_and_its_files():
    vod = VODFactory()
    stored = default_storage.save(f"vods/{vod.pk}/tok/index.m3u8", ContentFile(b"#EXTM3U\n"))
    response = _signed_in(vod.channel.owner_user).delete(f"/api/v1/vods/{vod.pk}/")
    assert response.status_code == 204
    assert not VOD.objects.filter(pk=vod.pk).exists() and not default_storage.exists(stored)


def test_a_token_needs_the_channels_manage_scope_to_edit():
    vod = VODFactory()
    _token, raw = account_services.api_token_create(
        user=vod.channel.owner_user, name="bot", scopes=["profile:read"]
    )
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.patch(f"/api/v1/vods/{vod.pk}/", {"title": "t"}, format="json").status_code == 403
