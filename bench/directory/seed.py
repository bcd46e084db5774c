"""Seed the directory benchmark: live channels with owners, categories, live streams and follows.

    .venv/bin/python bench/directory/seed.py [--channels 1000] [--follows 100000] [--reset]

Targets the database the settings point at (DATABASE_URL, or the SQLite file under VAR_DIR that
`make run` uses), so run it with the same environment as the server. Rows are bulk-inserted
(a few statements per thousand rows) inside one transaction; everything it creates is named
`bench_*` (users, channels) or `bench-*` (categories), and --reset deletes exactly that first,
so it can be run again.

Viewer counts, trending scores, tags, languages and featured ranks are spread so that every sort
and filter of /directory/ and /api/v1/streams/ has real work to do.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aethex.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from channels_app.models import Category, Channel, Follow  # noqa: E402
from streams.models import Stream, StreamStatus  # noqa: E402

BATCH = 2000
CATEGORIES = [
    "Just Chatting", "Retro Games", "Speedruns", "Music", "Art", "Science & Tech", "Chess",
    "Cooking", "Strategy", "Racing", "Sports", "Software Development", "Travel", "Fitness",
    "Horror Games", "Puzzle Games", "Talk Shows", "ASMR", "Education", "Esports",
]  # fmt: skip
TAGS = ["fps", "chill", "speedrun", "coop", "english", "beginner", "competitive", "cozy", "lofi", "ranked"]
WORDS = ["epic", "late night", "first try", "chill", "ranked", "learning", "building", "marathon", "cozy"]


def reset() -> None:
    """Delete what an earlier run created (cascades to channels, streams and follows)."""
    User.objects.filter(username__startswith="bench_").delete()
    Category.objects.filter(slug__startswith="bench-").delete()


def seed(*, channels: int, follows: int, seed_value: int = 5) -> dict[str, int]:
    rng = random.Random(seed_value)
    now = timezone.now()
    languages = [code for code, _ in settings.LANGUAGES]
    with transaction.atomic():
        categories = Category.objects.bulk_create(
            [Category(name=f"{name} (bench)", slug=f"bench-{index}") for index, name in enumerate(CATEGORIES)]
        )
        categories = list(Category.objects.filter(slug__startswith="bench-").order_by("slug"))
        # Owners and viewers can never sign in ("!" is an unusable password): no hashing cost.
        viewers_needed = max(1, -(-follows // max(1, min(channels, 50))))
        users = [
            User(username=f"bench_owner_{i:05d}", email=f"bench_owner_{i:05d}@example.invalid", password="!")
            for i in range(channels)
        ]
        users += [
            User(
                username=f"bench_viewer_{i:06d}", email=f"bench_viewer_{i:06d}@example.invalid", password="!"
            )
            for i in range(viewers_needed)
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        owners = list(
            User.objects.filter(username__startswith="bench_owner_")
            .order_by("username")
            .values_list("pk", flat=True)
        )
        viewers = list(
            User.objects.filter(username__startswith="bench_viewer_")
            .order_by("username")
            .values_list("pk", flat=True)
        )

        rows = []
        for index, owner in enumerate(owners):
            category = categories[int(rng.paretovariate(1.2)) % len(categories)]  # a few big categories
            key_hash = hashlib.sha256(f"bench-key-{index}-{seed_value}".encode()).hexdigest()
            rows.append(
                Channel(
                    owner_user_id=owner,
                    slug=f"bench_{index:04d}",
                    display_name=f"Bench Streamer {index}",
                    title=f"{rng.choice(WORDS).title()} {category.name.split(' (')[0]} #{index}",
                    category=category,
                    tags=rng.sample(TAGS, 3),
                    language=rng.choice(languages),
                    stream_key_hash=key_hash,
                    stream_key_prefix=key_hash[:8],
                    featured_rank=index + 1 if index < 12 else None,
                )
            )
        Channel.objects.bulk_create(rows, batch_size=BATCH)
        channel_rows = list(Channel.objects.filter(slug__startswith="bench_").order_by("slug"))

        streams = [
            Stream(
                channel=channel,
                status=StreamStatus.LIVE,
                started_at=now - timedelta(minutes=rng.randint(1, 600)),
                last_update_at=now,
                title=channel.title,
                category_id=channel.category_id,
                tags=channel.tags,
                language=channel.language,
                ingest_node="bench",
                ingest_client_id=str(index),
                # A long tail: most streams have a handful of viewers, a few have thousands.
                viewer_count=int(rng.paretovariate(1.1) * 3),
                trending_score=round(rng.uniform(0, 20), 3),
            )
            for index, channel in enumerate(channel_rows)
        ]
        Stream.objects.bulk_create(streams, batch_size=BATCH)

        # Each viewer follows up to 50 distinct channels; popular channels get more followers.
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(channel_rows))]
        channel_ids = [channel.pk for channel in channel_rows]
        follow_rows: list[Follow] = []
        per_viewer = min(len(channel_ids), 50)
        for viewer in viewers:
            if len(follow_rows) >= follows:
                break
            chosen: set[int] = set()
            while len(chosen) < per_viewer:
                chosen.update(rng.choices(channel_ids, weights=weights, k=per_viewer - len(chosen)))
            take = min(per_viewer, follows - len(follow_rows))
            follow_rows.extend(Follow(user_id=viewer, channel_id=cid) for cid in list(chosen)[:take])
        for start in range(0, len(follow_rows), BATCH * 5):
            Follow.objects.bulk_create(follow_rows[start : start + BATCH * 5], batch_size=BATCH)
    return {
        "categories": len(categories),
        "users": len(owners) + len(viewers),
        "channels": len(channel_rows),
        "live_streams": len(streams),
        "follows": len(follow_rows),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--follows", type=int, default=100_000)
    parser.add_argument("--reset", action="store_true", help="delete earlier bench rows first")
    args = parser.parse_args(argv)
    database = settings.DATABASES["default"]
    print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    started = time.monotonic()
    if args.reset:
        reset()
        print(f"reset in {time.monotonic() - started:.1f} s")
    if Channel.objects.filter(slug__startswith="bench_").exists():
        print("bench rows exist already: run with --reset to replace them", file=sys.stderr)
        return 1
    seeded = time.monotonic()
    counts = seed(channels=args.channels, follows=args.follows)
    print(
        ", ".join(f"{value:,} {name}" for name, value in counts.items()),
        f"in {time.monotonic() - seeded:.1f} s",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
