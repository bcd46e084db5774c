"""Where a visit came from: the referrer's host and utm tags, bucketed (no Django here).

Only the host of a referrer is ever kept: paths and queries can carry search terms, tokens or
personal data of someone else's site.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from analytics.models import HOST_MAX_LENGTH, UTM_MAX_LENGTH, Source

# Registrable names (the label before the public suffix) of the big search engines and networks.
SEARCH_NAMES = frozenset(
    {
        "google",
        "bing",
        "duckduckgo",
        "yahoo",
        "yandex",
        "baidu",
        "ecosia",
        "qwant",
        "startpage",
        "brave",
        "naver",
    }
)
SOCIAL_NAMES = frozenset(
    {
        "twitter", "x", "t", "facebook", "fb", "instagram", "reddit", "youtube", "youtu", "tiktok",
        "discord", "discordapp", "linkedin", "lnkd", "mastodon", "bsky", "threads", "pinterest", "tumblr",
        "vk", "telegram", "whatsapp", "snapchat", "twitch", "kick",
    }
)  # fmt: skip
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
_UTM = re.compile(r"^[\w .,:/+@%&()-]*$", re.UNICODE)
# Two-label public suffixes common enough to matter ("google.co.uk" is google, not "co").
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "ac", "gov", "edu", "ne", "or"})


class BadInput(ValueError):
    """The beacon sent something no browser would: refuse it, write nothing."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


_BOT = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|curl|wget|python-|httpclient|okhttp|go-http|java/|"
    r"libwww|scrapy|phantomjs|lighthouse",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """No user agent, or one that says it is a crawler or a script: not a viewer."""
    return not user_agent.strip() or bool(_BOT.search(user_agent))


def referrer_host(referrer: str) -> str:
    """The lower-cased host of a referrer URL ("" when there is none); BadInput when malformed."""
    if not referrer:
        return ""
    if len(referrer) > 2048:
        raise BadInput("referrer", "The referrer is too long.")
    parts = urlsplit(referrer.strip())
    if parts.scheme not in ("http", "https", "android-app"):
        raise BadInput("referrer", "The referrer must be an http(s) address.")
    host = (parts.hostname or "").rstrip(".")
    if not host or len(host) > HOST_MAX_LENGTH or not _HOST.match(host):
        raise BadInput("referrer", "The referrer has no valid host.")
    return host.removeprefix("www.").removeprefix("m.")


def _site_name(host: str) -> str:
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def classify(*, host: str, own_hosts: set[str], utm_source: str = "", embed: bool = False) -> str:
    """The source bucket of a visit: embed wins, then this site, then the referrer's kind; a tagged
    link without a referrer (an app, an e-mail) is judged by its utm_source."""
    if embed:
        return Source.EMBED
    if host and host in own_hosts:
        return Source.INTERNAL
    name = _site_name(host) if host else utm_source.lower().split(".")[0]
    if not name:
        return Source.DIRECT
    if name in SEARCH_NAMES:
        return Source.SEARCH
    if name in SOCIAL_NAMES:
        return Source.SOCIAL
    return Source.EXTERNAL


def utm_tags(page_url: str) -> dict[str, str]:
    """utm_source/medium/campaign of the page's own address (query string or full URL)."""
    if len(page_url) > 4096:
        raise BadInput("page", "The page address is too long.")
    query = urlsplit(page_url).query if "://" in page_url or page_url.startswith("/") else page_url
    try:
        params = parse_qs(query.lstrip("?"), keep_blank_values=False, max_num_fields=50)
    except ValueError as error:  # more fields than any real page address has
        raise BadInput("page", "The page address has too many parameters.") from error
    tags = {}
    for name in ("utm_source", "utm_medium", "utm_campaign"):
        value = (params.get(name) or [""])[0].strip()
        if len(value) > UTM_MAX_LENGTH:
            raise BadInput(name, f"{name} is longer than {UTM_MAX_LENGTH} characters.")
        if not _UTM.match(value):
            raise BadInput(name, f"{name} has characters a campaign tag does not use.")
        tags[name] = value
    return tags
