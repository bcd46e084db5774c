"""Shared set-up for the directory tests: live streams with known figures, in bulk."""

from __future__ import annotations

from typing import Any

from channels_app.models import Category
from streams.models import Stream
from tests.factories import LiveStreamFactory, StreamCategoryFactory, StreamChannelFactory


def live(
    slug: str,
    *,
    viewers: int = 0,
    category: Category | None = None,
    featured_rank: int | None = None,
    **fields: Any,
) -> Stream:
    channel = StreamChannelFactory.create(slug=slug, featured_rank=featured_rank, category=category)
    stream: Stream = LiveStreamFactory.create(
        channel=channel, viewer_count=viewers, category=category, **fields
    )
    return stream


def many_live(count: int, *, prefix: str = "bulk") -> list[Stream]:
    """`count` live streams across three categories, with tags and thumbnails-less cards."""
    categories: list[Category] = [StreamCategoryFactory.create() for _ in range(3)]
    return [
        live(
            f"{prefix}{index:04d}",
            viewers=index,
            category=categories[index % 3],
            tags=["fps", "chill"],
            language="en",
            featured_rank=index if index % 5 == 0 else None,
            trending_score=float(index % 7),
        )
        for index in range(count)
    ]
