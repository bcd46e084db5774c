"""The clips admin: search and filters answer, deleting goes through the service (files too)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from tests.vods.clip_factories import ClipFactory, verified_user


def staff_client() -> Client:
    client = Client()
    client.force_login(verified_user(is_staff=True, is_superuser=True))
    return client


def test_admin_lists_searches_and_filters_clips(db):
    ClipFactory(title="Ace clutch")
    ClipFactory(title="Other", status="failed")
    client = staff_client()
    assert "Ace clutch" in client.get("/admin/vods/clip/", {"q": "clutch"}).content.decode()
    filtered = client.get("/admin/vods/clip/", {"status__exact": "failed"}).content.decode()
    assert "Other" in filtered and "Ace clutch" not in filtered


def test_admin_delete_action_removes_rows_and_files(db, django_capture_on_commit_callbacks):
    clip = ClipFactory()
    default_storage.save(clip.video, ContentFile(b"mp4"))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client().post(
            "/admin/vods/clip/", {"action": "delete_clips", "_selected_action": [clip.pk]}, follow=True
        )
    assert "Deleted 1 clip(s)." in response.content.decode()
    assert not default_storage.exists(clip.video)
