"""Stream keys: random, shown once, stored only as a keyed hash (HMAC-SHA256) with a visible prefix."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

KEY_PREFIX = "live_"
PREFIX_LENGTH = len(KEY_PREFIX) + 6


def _pepper() -> bytes:
    # A keyed hash: a leaked database alone does not let anyone test guesses offline.
    return (settings.STREAM_KEY_SECRET or settings.SECRET_KEY).encode()


def hash_stream_key(key: str) -> str:
    return hmac.new(_pepper(), key.encode(), hashlib.sha256).hexdigest()


def new_stream_key() -> tuple[str, str, str]:
    """Return (key, hash, prefix) for a fresh key of 48 url-safe characters."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    return key, hash_stream_key(key), key[:PREFIX_LENGTH]


def stream_key_matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_stream_key(key), stored_hash)
