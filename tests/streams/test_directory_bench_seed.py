"""bench/directory/seed.py, at a small scale: what it creates, and that --reset removes exactly that."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from accounts.models import User
from channels_app.models import Category, Channel, Follow
from streams.models import Stream, StreamStatus
from tests.factories import UserFactory
from tests.streams.directory_helpers import live

pytestmark = pytest.mark.django_db


def _seed_module() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "directory" / "seed.py"
    spec = importlib.util.spec_from_file_location("bench_directory_seed", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seed_creates_live_channels_and_follows_and_reset_removes_only_them():
    seed = _seed_module()
    UserFactory(username="real_person")
    live("real_channel")
    counts = seed.seed(channels=60, follows=500)
    assert counts == {"categories": 20, "users": 70, "channels": 60, "live_streams": 60, "follows": 500}
    assert Stream.objects.filter(status=StreamStatus.LIVE, channel__slug__startswith="bench_").count() == 60
    assert Follow.objects.count() == 500
    assert Channel.objects.filter(featured_rank__isnull=False).count() == 12
    seed.reset()
    assert not Channel.objects.filter(slug__startswith="bench_").exists()
    assert not Category.objects.filter(slug__startswith="bench-").exists() and Follow.objects.count() == 0
    assert (
        User.objects.filter(username="real_person").exists()
        and Channel.objects.filter(slug="real_channel").exists()
    )
