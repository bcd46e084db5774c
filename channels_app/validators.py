from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError

# Paths the site itself serves at the top level, and names that would impersonate it.
RESERVED_SLUGS = frozenset(
    {
        "about", "accounts", "admin", "aethex", "api", "browse", "categories", "category", "channels",
        "clips", "dashboard", "directory", "embed", "following", "healthz", "help", "hls", "ingest",
        "legal", "login", "logout", "media", "moderator", "notifications", "overlay", "privacy", "search",
        "settings", "signup", "static", "staff", "support", "system", "terms", "u", "videos", "vods", "ws",
        "_allauth",
    }
)  # fmt: skip
MAX_TAGS = 10
TAG_RE = re.compile(r"^[\w][\w -]{0,24}$")


def validate_slug_not_reserved(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError("That channel name is reserved by the site.", code="reserved")


def validate_tags(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise ValidationError("Tags must be a list of words.", code="tags_type")
    if len(value) > MAX_TAGS:
        raise ValidationError(f"Use at most {MAX_TAGS} tags.", code="too_many_tags")
    for tag in value:
        if not TAG_RE.match(tag):
            raise ValidationError(
                f"“{tag}” is not a valid tag: 1–25 letters, digits, spaces or dashes.", code="tag"
            )


def normalise_tags(tags: list[str]) -> list[str]:
    """Trim, collapse spaces and drop case duplicates, keeping the first spelling."""
    seen: set[str] = set()
    result = []
    for tag in tags:
        cleaned = " ".join(str(tag).split())
        if cleaned and cleaned.lower() not in seen:
            seen.add(cleaned.lower())
            result.append(cleaned)
    return result
