from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

# Names that would impersonate the platform or its staff in chat.
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "aethex",
        "aethexlive",
        "moderator",
        "mod",
        "staff",
        "support",
        "system",
        "root",
    }
)


def reject_reserved_username(value: str) -> None:
    if value.lower() in RESERVED_USERNAMES:
        raise ValidationError("That username is reserved.", code="reserved")


username_validators: list[Callable[[Any], None]] = [
    RegexValidator(
        r"^[A-Za-z0-9_]{3,25}$",
        "Use 3–25 characters: letters, digits and underscores.",
        code="invalid_username",
    ),
    reject_reserved_username,
]


@cache
def available_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def time_zone_validator(value: str) -> None:
    if value not in available_time_zones():
        raise ValidationError(
            "Unknown time zone; pick one such as Europe/Paris or America/New_York.", code="tz"
        )
