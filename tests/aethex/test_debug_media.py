"""Under DEBUG (runserver) Django serves /media/ itself: never the VOD files, which need an access check."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

import pytest
from django.urls import Resolver404, clear_url_caches, resolve

import aethex.urls


@pytest.fixture
def debug_urls(settings) -> Iterator[ModuleType]:
    settings.DEBUG = True
    importlib.reload(aethex.urls)
    clear_url_caches()
    yield aethex.urls
    settings.DEBUG = False
    importlib.reload(aethex.urls)
    clear_url_caches()


def test_debug_media_serves_uploads_but_not_vod_files(debug_urls: ModuleType) -> None:
    assert (
        resolve("/media/avatars/2026/a.png", urlconf=debug_urls.__name__).kwargs["path"]
        == "avatars/2026/a.png"
    )
    with pytest.raises(Resolver404):
        resolve("/media/vods/1/tok/index.m3u8", urlconf=debug_urls.__name__)
