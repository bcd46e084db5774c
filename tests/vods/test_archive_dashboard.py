"""The dashboard's Videos page: who may see it, the progress JSON, edit, delete, retry, settings, purge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from channels_app import services as channel_services
from channels_app.models import Role
from tests.factories import UserFactory
from tests.vods.archive_factories import VODFactory
from vods import storage as vod_storage
from vods.models import VOD, Visibility, VODSettings, VODStatus
from vods.services import archive

pytestmark = [pytest.mark.django_db]


def url(name: str, channel, *args: object) -> str:
    return f"{reverse(name, args=args)}?channel={channel.slug}"


def store_files(vod: VOD) -> list[str]:
    names = [f"vods/{vod.pk}/tok/index.m3u8", f"vods/{vod.pk}/tok/poster.jpg"]
    for name in names:
        default_storage.save(name, ContentFile(b"x"))
    return names


@pytest.fixture
def vod() -> VOD:
    return VODFactory.create()


@pytest.fixture
def owner_client(client, vod):
    client.force_login(vod.channel.owner_user)
    return client


def test_owner_sees_the_list_with_each_state(owner_client, vod):
    processing = VODFactory.create(
        stream__channel=vod.channel, status=VODStatus.PROCESSING, progress=42, title="Being archived"
    )
    failed = VODFactory.create(
        stream__channel=vod.channel,
        status=VODStatus.FAILED,
        progress=0,
        failure_reason="Reading the recording failed: Invalid data found when processing input",
    )
    response = owner_client.get(url("dashboard-videos", vod.channel))
    assert response.status_code == 200
    body = response.content.decode()
    assert vod.title in body and f'href="/videos/{vod.pk}/"' in body and "1:02:05" in body
    assert (
        "Being archived" in body and 'value="42"' in body and f'href="/videos/{processing.pk}/"' not in body
    )
    assert "Invalid data found" in body and reverse("dashboard-vod-retry", args=[failed.pk]) in body
    assert reverse("dashboard-videos") in body  # the nav links here now


def test_an_editor_manages_the_channels_videos(client, vod):
    editor = UserFactory.create()
    channel_services.channel_role_grant(
        channel=vod.channel, user=editor, role=Role.EDITOR, granted_by=vod.channel.owner_user
    )
    client.force_login(editor)
    assert client.get(url("dashboard-videos", vod.channel)).status_code == 200
    response = client.post(
        url("dashboard-vod-edit", vod.channel, vod.pk),
        {f"vod-{vod.pk}-title": "Cut", f"vod-{vod.pk}-visibility": "private"},
    )
    assert response.status_code == 302 and VOD.objects.get().title == "Cut"


def test_another_user_gets_404_and_anonymous_is_sent_to_sign_in(client, vod):
    response = client.get(url("dashboard-videos", vod.channel))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory.create())
    assert client.get(url("dashboard-videos", vod.channel)).status_code == 404
    assert client.get(url("dashboard-videos-progress", vod.channel) + f"&ids={vod.pk}").status_code == 404
    assert client.post(url("dashboard-vod-delete", vod.channel, vod.pk)).status_code == 404
    assert VOD.objects.exists()


def test_empty_state_tells_what_to_do(client):
    from tests.factories import StreamChannelFactory

    channel = StreamChannelFactory.create()
    client.force_login(channel.owner_user)
    body = client.get(url("dashboard-videos", channel)).content.decode()
    assert "Your streams are archived here when they end" in body


def test_the_list_is_paginated(owner_client, vod):
    for _ in range(21):
        VODFactory.create(stream__channel=vod.channel)
    first = owner_client.get(url("dashboard-videos", vod.channel)).content.decode()
    second = owner_client.get(url("dashboard-videos", vod.channel) + "&page=2").content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert second.count('data-vod-id="') == 2


def test_progress_json_reports_the_named_vods_of_this_channel_only(
    owner_client, vod, django_assert_max_num_queries
):
    processing = VODFactory.create(stream__channel=vod.channel, status=VODStatus.PROCESSING, progress=37)
    elsewhere = VODFactory.create(status=VODStatus.PROCESSING)
    with django_assert_max_num_queries(10):
        response = owner_client.get(
            url("dashboard-videos-progress", vod.channel) + f"&ids={processing.pk},{elsewhere.pk}"
        )
    assert response.status_code == 200
    assert response.json() == {
        "vods": [
            {
                "id": processing.pk,
                "status": "processing",
                "progress": 37,
                "failure_reason": "",
                "duration": 3725.0,
            }
        ]
    }


@pytest.mark.parametrize("ids", ["", "a,b", ",".join(["1"] * 101)])
def test_progress_json_refuses_bad_ids_with_an_error(owner_client, vod, ids):
    response = owner_client.get(url("dashboard-videos-progress", vod.channel) + f"&ids={ids}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_ids"


def test_edit_changes_title_and_visibility(owner_client, vod):
    response = owner_client.post(
        url("dashboard-vod-edit", vod.channel, vod.pk),
        {f"vod-{vod.pk}-title": "  Best of the finals  ", f"vod-{vod.pk}-visibility": "subscribers"},
    )
    assert response.status_code == 302
    vod.refresh_from_db()
    assert (vod.title, vod.visibility) == ("Best of the finals", Visibility.SUBSCRIBERS)


def test_edit_with_bad_input_shows_errors_and_changes_nothing(owner_client, vod):
    response = owner_client.post(
        url("dashboard-vod-edit", vod.channel, vod.pk),
        {f"vod-{vod.pk}-title": "x" * 141, f"vod-{vod.pk}-visibility": "everyone"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ensure this value has at most 140 characters" in body and "Select a valid choice" in body
    assert VOD.objects.get().title == vod.title


def test_edit_of_a_missing_or_foreign_vod_is_404(owner_client, vod):
    other = VODFactory.create()
    data = {f"vod-{other.pk}-title": "Mine now", f"vod-{other.pk}-visibility": "public"}
    assert owner_client.post(url("dashboard-vod-edit", vod.channel, other.pk), data).status_code == 404
    assert owner_client.post(url("dashboard-vod-edit", vod.channel, 999999), data).status_code == 404
    assert owner_client.get(url("dashboard-vod-edit", vod.channel, vod.pk)).status_code == 405
    other.refresh_from_db()
    assert other.title != "Mine now"


def test_delete_removes_the_row_and_its_files(owner_client, vod, django_capture_on_commit_callbacks):
    names = store_files(vod)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(url("dashboard-vod-delete", vod.channel, vod.pk))
    assert response.status_code == 302
    assert not VOD.objects.exists()
    assert not [name for name in names if default_storage.exists(name)]
    assert vod_storage.list_tree(vod_storage.vod_root(vod.pk)) == []


def test_retry_queues_a_failed_vod_again(owner_client, vod, monkeypatch, django_capture_on_commit_callbacks):
    sent: list[int] = []
    monkeypatch.setattr("vods.tasks.archive_vod.apply_async", lambda args, countdown: sent.append(args[0]))
    VOD.objects.filter(pk=vod.pk).update(status=VODStatus.FAILED, failure_reason="boom", progress=0)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(url("dashboard-vod-retry", vod.channel, vod.pk))
    assert response.status_code == 302
    vod.refresh_from_db()
    assert (vod.status, vod.failure_reason, sent) == (VODStatus.PROCESSING, "", [vod.pk])


def test_retry_of_a_ready_vod_is_refused_with_a_message(owner_client, vod):
    response = owner_client.post(url("dashboard-vod-retry", vod.channel, vod.pk), follow=True)
    assert "Only a failed video can be retried." in response.content.decode()
    assert VOD.objects.get().status == VODStatus.READY


def test_settings_are_saved(owner_client, vod):
    data = {"archive-default_visibility": "private", "archive-retention_days": "30"}
    response = owner_client.post(url("dashboard-videos-settings", vod.channel), data)
    assert response.status_code == 302
    options = VODSettings.objects.get(channel=vod.channel)
    assert (options.archive_enabled, options.default_visibility, options.retention_days) == (
        False,
        "private",
        30,
    )


@pytest.mark.parametrize("days", ["0", "3651", "-5", "soon"])
def test_settings_refuse_retention_out_of_bounds(owner_client, vod, days):
    data = {
        "archive-archive_enabled": "on",
        "archive-default_visibility": "public",
        "archive-retention_days": days,
    }
    response = owner_client.post(url("dashboard-videos-settings", vod.channel), data)
    assert response.status_code == 200
    assert "Please fix the highlighted fields." in response.content.decode()
    assert not VODSettings.objects.exists()


def test_purge_deletes_only_expired_vods_of_channels_with_retention(django_capture_on_commit_callbacks):
    now = timezone.now()
    kept_forever = VODFactory.create(created_at=now - timedelta(days=400))
    expired = VODFactory.create(created_at=now - timedelta(days=31))
    recent = VODFactory.create(stream__channel=expired.channel, created_at=now - timedelta(days=29))
    still_processing = VODFactory.create(
        stream__channel=expired.channel, status=VODStatus.PROCESSING, created_at=now - timedelta(days=60)
    )
    VODSettings.objects.create(channel=expired.channel, retention_days=30)
    names = store_files(expired)

    with django_capture_on_commit_callbacks(execute=True):
        assert archive.vods_purge_expired(now=now) == 1

    assert set(VOD.objects.values_list("pk", flat=True)) == {kept_forever.pk, recent.pk, still_processing.pk}
    assert not [name for name in names if default_storage.exists(name)]


def test_the_purge_task_runs_the_purge(django_capture_on_commit_callbacks):
    from vods.tasks import purge_expired_vods

    old = VODFactory.create(created_at=timezone.now() - timedelta(days=3))
    VODSettings.objects.create(channel=old.channel, retention_days=1)
    assert purge_expired_vods() == 1
    assert not VOD.objects.exists()
