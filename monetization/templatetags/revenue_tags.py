"""`{{ cents|dollars }}`: integer cents as 1,234.56 (negative with a minus sign)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def dollars(cents: int | None) -> str:
    value = int(cents or 0)
    return f"{'-' if value < 0 else ''}{abs(value) / 100:,.2f}"
