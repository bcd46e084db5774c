"""Subscribers-only VODs: monetization answers the VOD library's subscriber hook."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from monetization.models import ChannelSubscription, SubscriptionStatus
from tests.vods.factories import ViewerFactory, VODFactory
from vods import access
from vods.models import Visibility

pytestmark = pytest.mark.django_db


def test_an_active_subscriber_watches_subscribers_only_vods_and_others_do_not():
    vod = VODFactory(visibility=Visibility.SUBSCRIBERS)
    subscriber, lapsed, viewer = ViewerFactory(), ViewerFactory(), ViewerFactory()
    ChannelSubscription.objects.create(
        user=subscriber, channel=vod.channel, status=SubscriptionStatus.ACTIVE, months=1,
        current_period_end=timezone.now() + timedelta(days=20),
    )  # fmt: skip
    ChannelSubscription.objects.create(
        user=lapsed, channel=vod.channel, status=SubscriptionStatus.ACTIVE, months=3,
        current_period_end=timezone.now() - timedelta(days=1),
    )  # fmt: skip

    assert access.can_watch(subscriber, vod)
    assert not access.can_watch(lapsed, vod)
    assert not access.can_watch(viewer, vod)


def test_a_subscriber_gets_no_more_than_subscribers_only_vods():
    vod = VODFactory(visibility=Visibility.PRIVATE)
    subscriber = ViewerFactory()
    ChannelSubscription.objects.create(user=subscriber, channel=vod.channel, status=SubscriptionStatus.ACTIVE)
    assert not access.can_watch(subscriber, vod)
