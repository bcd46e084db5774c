"""Pages the front door may cache for anonymous visitors (home, the directory pages).

An anonymous page is the same for every visitor who sends the same language (the shell emits
no CSRF token for them, see templates/base.html), so it is marked `Cache-Control: public` and
the front door keeps it a few seconds (`streams/nginx/locations.conf.template`). Whoever carries
a session or pending messages gets `private`: the page may show something for them alone
(their name, a "signed out" toast), and nginx sends exactly those requests to Django.

`nginx_page_cache()` gives the front door what it needs to build the same decision and a cache
key from this site's settings: the cookie names and the languages it can resolve.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import LANGUAGE_CODE_MAX_LENGTH

PAGE_MAX_AGE = 5  # seconds: a new live channel shows up on the cached pages within this

View = Callable[..., HttpResponse]


def visitor_specific(request: HttpRequest) -> bool:
    """Whether the page may differ for this visitor: signed in, a session, or messages waiting."""
    if request.user.is_authenticated:
        return True
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies


def shared_when_anonymous(view: View) -> View:
    """`Cache-Control: public, max-age=PAGE_MAX_AGE` for anonymous visitors, `private` otherwise."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or visitor_specific(request):
            patch_cache_control(response, private=True)
        else:
            patch_cache_control(response, public=True, max_age=PAGE_MAX_AGE)
        # The session middleware adds Cookie once the template asks who is signed in; say so
        # even if a page never asks, for caches downstream of the front door.
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapper


def _accept_language_pattern(generic: str) -> str:
    """A regex matching a well-formed Accept-Language whose first range is `generic`[-anything].

    Django (translation.get_language_from_request) sorts the ranges by q, stably, and takes the
    first one it supports, so a first range with no q (or q=1) wins when supported: `de-CH`
    resolves to `de`, `pt-PT` to `pt-br`. Django ignores a malformed header (default language)
    and one range longer than LANGUAGE_CODE_MAX_LENGTH, so the whole header must fit Django's
    grammar and length, not just start right; anything else keeps its raw value in the key.
    """
    tag = r"[a-z]{1,8}(?:-[a-z0-9]{1,8})*"
    q = r"(?:\s*;\s*q=(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?))?"
    top_q = r"(?:\s*;\s*q=1(?:\.0{0,3})?)?"
    rest = rf"(?:\s*,\s*(?:{tag}|\*){q})*"
    length = rf"(?=.{{0,{LANGUAGE_CODE_MAX_LENGTH}}}$)"
    return rf"~*^{length}{re.escape(generic)}(?:-[a-z0-9]{{1,8}})*{top_q}{rest}$"


def resolved_languages() -> dict[str, str]:
    """Generic language → the code Django resolves every `generic[-region]` range to.

    Only generics with one code in LANGUAGES (`de`, or `pt-br` alone for `pt`): with both `pt`
    and `pt-br` the region decides, and those headers keep their raw value in the key.
    """
    codes: dict[str, list[str]] = {}
    for code, _name in settings.LANGUAGES:
        codes.setdefault(code.lower().split("-")[0], []).append(code.lower())
    return {generic: found[0] for generic, found in codes.items() if len(found) == 1}


def nginx_page_cache() -> dict[str, Any]:
    """What the front door's page cache needs from the settings (see streams/nginx/*.template)."""
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "messages_cookie": CookieStorage.cookie_name,
        "language_cookie": settings.LANGUAGE_COOKIE_NAME,
        # No Accept-Language at all: Django's default language, shared with `en-US` and the like.
        "default_language": get_supported_language_variant(settings.LANGUAGE_CODE).lower(),
        "accept_languages": [(_accept_language_pattern(g), code) for g, code in resolved_languages().items()],
    }
