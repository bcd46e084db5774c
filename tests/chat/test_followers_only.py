"""Followers-only chat reads the follow time from the cached member facts, forgotten on (un)follow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from channels_app import services as channel_services
from channels_app.models import Follow
from chat.models import ChatSettings
from chat.services.messages import ChatRefused, message_send
from tests.factories import UserFactory
from tests.streams.helpers import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel():
    channel = make_channel("nova")[0]
    ChatSettings.objects.update_or_create(channel=channel, defaults={"followers_only_minutes": 0})
    return channel


@pytest.fixture
def chatter():
    return UserFactory(username="chatter", date_joined=timezone.now() - timedelta(days=30))


def refused_code(**kwargs) -> str | None:
    try:
        message_send(**kwargs)
    except ChatRefused as error:
        return error.code
    return None


def follow(user, channel, capture, minutes_ago: int = 0) -> None:
    with capture(execute=True):  # follow_changed is sent after commit
        channel_services.follow_create(user=user, channel=channel)
    Follow.objects.filter(user=user, channel=channel).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_zero_minutes_lets_any_follower_chat_at_once(channel, chatter, django_capture_on_commit_callbacks):
    assert refused_code(channel=channel, user=chatter, text="hi") == "followers_only"
    follow(chatter, channel, django_capture_on_commit_callbacks)
    assert refused_code(channel=channel, user=chatter, text="hi") is None


def test_n_minutes_needs_a_follow_that_old(channel, chatter, django_capture_on_commit_callbacks):
    ChatSettings.objects.filter(channel=channel).update(followers_only_minutes=10)
    follow(chatter, channel, django_capture_on_commit_callbacks, minutes_ago=3)
    assert refused_code(channel=channel, user=chatter, text="hi") == "followers_only"
    veteran = UserFactory(username="veteran", date_joined=timezone.now() - timedelta(days=30))
    follow(veteran, channel, django_capture_on_commit_callbacks, minutes_ago=11)
    assert refused_code(channel=channel, user=veteran, text="hi") is None


def test_unfollowing_takes_effect_at_once(channel, chatter, django_capture_on_commit_callbacks):
    follow(chatter, channel, django_capture_on_commit_callbacks)
    assert refused_code(channel=channel, user=chatter, text="first") is None
    with django_capture_on_commit_callbacks(execute=True):
        channel_services.follow_delete(user=chatter, channel=channel)
    assert refused_code(channel=channel, user=chatter, text="second") == "followers_only"


def test_the_follow_check_asks_the_database_nothing_per_message(
    channel, chatter, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    follow(chatter, channel, django_capture_on_commit_callbacks)
    message_send(channel=channel, user=chatter, text="warm the caches")
    # Chat settings and the live stream are read per message; the INSERT; nothing about follows.
    with django_assert_max_num_queries(3) as captured:
        message_send(channel=channel, user=chatter, text="again")
    assert not any("channels_app_follow" in q["sql"] for q in captured.captured_queries)
