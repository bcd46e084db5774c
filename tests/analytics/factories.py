"""Raw analytics rows for tests: samples, messages, follow events and visits at exact instants."""

from __future__ import annotations

import datetime as dt

from accounts.models import User
from analytics.models import FollowEvent, PageVisit, Source
from chat.models import MessageState
from streams.models import ViewerSample
from tests.factories import ChatMessageFactory, UserFactory


def samples(stream, start: dt.datetime, viewers: list[int]) -> None:
    """One ViewerSample a minute from `start`."""
    ViewerSample.objects.bulk_create(
        ViewerSample(stream=stream, viewers=v, taken_at=start + dt.timedelta(minutes=i))
        for i, v in enumerate(viewers)
    )


def chatter() -> User:
    # One author for every message: a factory user per message hashes a password each (slow).
    return User.objects.filter(username="chatter").first() or UserFactory.create(username="chatter")


def messages(channel, at: dt.datetime, n: int = 1, stream=None, state: str = MessageState.VISIBLE) -> None:
    ChatMessageFactory.create_batch(
        n, channel=channel, stream=stream, sent_at=at, state=state, user=chatter()
    )


def follow_event(channel, at: dt.datetime, delta: int = 1) -> FollowEvent:
    return FollowEvent.objects.create(channel=channel, delta=delta, at=at)


def visit(channel, at: dt.datetime, visitor: str = "a", source: str = Source.DIRECT, **fields) -> PageVisit:
    return PageVisit.objects.create(channel=channel, at=at, visitor_hash=visitor, source=source, **fields)
