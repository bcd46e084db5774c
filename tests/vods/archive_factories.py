"""Factories for the archival tests: ended streams with a recording, and VODs in each state."""

from __future__ import annotations

import factory
from django.utils import timezone

from tests.factories import LiveStreamFactory, StreamChannelFactory
from vods.models import VOD, VODStatus

__all__ = ["EndedStreamFactory", "StreamChannelFactory", "VODFactory"]


class EndedStreamFactory(LiveStreamFactory):
    status = "ended"
    ended_at = factory.LazyFunction(timezone.now)


class VODFactory(factory.django.DjangoModelFactory[VOD]):
    class Meta:
        model = VOD

    stream = factory.SubFactory(EndedStreamFactory)
    channel = factory.SelfAttribute("stream.channel")
    title = factory.Sequence(lambda n: f"Archived stream {n}")
    status = VODStatus.READY
    progress = 100
    duration = 3725.0
