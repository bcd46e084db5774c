"""A logging filter that keeps overlay secrets out of request logs.

The alerts overlay's URL carries its token in the query string (OBS browser sources cannot send
headers). nginx redacts it in its own access log (aethex/nginx/frontdoor.conf.template); this
does the same for the ASGI/dev servers' request lines (uvicorn, daphne, runserver) when their
access logs are switched on.
"""

from __future__ import annotations

import logging
import re

OVERLAY_QUERY = re.compile(r"(/(?:ws/)?overlay/[^?\s\"]*)\?[^\s\"]*")
REDACTED = r"\1?<redacted>"


def redact(text: str) -> str:
    return OVERLAY_QUERY.sub(REDACTED, text)


class RedactOverlayTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True
