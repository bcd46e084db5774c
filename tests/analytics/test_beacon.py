"""POST /analytics/visit: the player page's beacon records one visit with its source bucket and
utm tags, dedupes a visitor for 30 minutes, refuses bots and bad input, and never stores an IP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from analytics import services, traffic
from analytics.models import PageVisit, Source
from streams.models import StreamStatus
from tests.factories import StreamSessionFactory

pytestmark = pytest.mark.django_db

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"
ADDRESS = "203.0.113.9"


def beacon(client: Client | None = None, ua: str = CHROME, address: str = ADDRESS, **data):
    client = client or Client(REMOTE_ADDR=address, HTTP_USER_AGENT=ua)
    return client.post("/analytics/visit", {"channel": "nova", "referrer": "", "page": "", **data})


def test_a_visit_is_recorded_with_its_source_referrer_host_and_utm_tags(channel):
    response = beacon(
        referrer="https://www.google.com/search?q=my+secret+search",
        page="?utm_source=newsletter&utm_medium=email&utm_campaign=spring-launch&other=x",
    )
    assert response.status_code == 201
    assert response.json() == {"recorded": True}
    visit = PageVisit.objects.get()
    assert (visit.channel, visit.source, visit.referrer_host) == (channel, Source.SEARCH, "google.com")
    assert (visit.utm_source, visit.utm_medium, visit.utm_campaign) == (
        "newsletter",
        "email",
        "spring-launch",
    )
    assert visit.stream is None


def test_no_raw_address_or_full_referrer_is_stored(channel):
    beacon(referrer="https://forum.example.org/thread/42?token=abc")
    row = PageVisit.objects.values().get()
    stored = " ".join(str(value) for value in row.values())
    assert ADDRESS not in stored and "token" not in stored and "thread" not in stored
    assert row["referrer_host"] == "forum.example.org"
    assert len(row["visitor_hash"]) == 64


def test_a_visit_during_a_live_stream_is_attached_to_it(channel):
    live = StreamSessionFactory(channel=channel, status=StreamStatus.LIVE, ended_at=None)
    beacon()
    assert PageVisit.objects.get().stream == live


@pytest.mark.parametrize(
    ("fields", "source", "host"),
    [
        ({}, Source.DIRECT, ""),
        ({"referrer": "https://t.co/abc"}, Source.SOCIAL, "t.co"),
        ({"referrer": "https://www.reddit.com/r/speedrun/"}, Source.SOCIAL, "reddit.com"),
        ({"referrer": "https://duckduckgo.com/"}, Source.SEARCH, "duckduckgo.com"),
        ({"referrer": "https://www.google.co.uk/"}, Source.SEARCH, "google.co.uk"),
        ({"referrer": "https://news.ycombinator.com/item?id=1"}, Source.EXTERNAL, "news.ycombinator.com"),
        ({"referrer": "http://testserver/directory/"}, Source.INTERNAL, ""),
        ({"referrer": "https://blog.example.com/", "embed": "1"}, Source.EMBED, "blog.example.com"),
        ({"page": "?utm_source=twitter"}, Source.SOCIAL, ""),  # a tagged link opened from an app
        ({"page": "?utm_source=partner-site"}, Source.EXTERNAL, ""),
    ],
)
def test_visits_are_bucketed_by_where_they_came_from(channel, fields, source, host):
    assert beacon(**fields).status_code == 201
    visit = PageVisit.objects.get()
    assert (visit.source, visit.referrer_host) == (source, host)


def test_the_same_visitor_counts_once_per_thirty_minutes(channel):
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=CHROME)
    assert beacon(client).status_code == 201
    again = beacon(client, referrer="https://t.co/x")
    assert again.status_code == 200 and again.json() == {"recorded": False}
    assert beacon(address="198.51.100.7").status_code == 201  # someone else
    assert PageVisit.objects.count() == 2


def test_the_dedupe_window_ends_after_thirty_minutes(channel):
    visit = services.VisitInput(
        referrer="",
        page="",
        embed=False,
        session_key="",
        address=ADDRESS,
        user_agent=CHROME,
        host="testserver",
    )
    now = timezone.now().replace(hour=12)  # one UTC day: the same daily salt
    first = services.page_visit_record(channel=channel, visit=visit, now=now)
    assert first is not None
    gate = f"analytics:visit:{channel.pk}:{first.visitor_hash}"
    cache.delete(gate)  # the table alone still dedupes (an evicted cache key)
    assert (
        services.page_visit_record(channel=channel, visit=visit, now=now + dt.timedelta(minutes=29)) is None
    )
    cache.delete(gate)
    assert (
        services.page_visit_record(channel=channel, visit=visit, now=now + dt.timedelta(minutes=31))
        is not None
    )
    assert PageVisit.objects.count() == 2


def test_a_json_body_is_accepted_too(channel):
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=CHROME)
    body = {"channel": "nova", "referrer": "https://bsky.app/profile/x", "page": "?utm_campaign=raid"}
    response = client.post("/analytics/visit", body, content_type="application/json")
    assert response.status_code == 201
    assert PageVisit.objects.get().utm_campaign == "raid"


@pytest.mark.parametrize(
    ("ua", "fields", "code"),
    [
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", {}, "bot"),
        ("curl/8.5.0", {}, "bot"),
        ("", {}, "bot"),
        (CHROME, {"referrer": "javascript:alert(1)"}, "invalid"),
        (CHROME, {"referrer": "https://exa mple.com/"}, "invalid"),
        (CHROME, {"page": "?utm_source=" + "x" * 101}, "invalid"),
        (CHROME, {"page": "?utm_campaign=<script>"}, "invalid"),
        (CHROME, {"channel": "../../etc"}, "invalid"),
        (CHROME, {"channel": ""}, "invalid"),
    ],
)
def test_bots_and_bad_input_get_a_400_and_nothing_is_written(channel, ua, fields, code):
    response = beacon(ua=ua, **fields)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert not PageVisit.objects.exists()


def test_a_malformed_json_body_is_a_400(channel):
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=CHROME)
    for body in ("[1, 2]", "{not json", '{"channel": 5}'):
        response = client.post("/analytics/visit", body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.json()["error"]["code"] == "invalid"
    assert not PageVisit.objects.exists()


def test_an_oversized_report_is_a_400(channel):
    assert beacon(page="?utm_source=a&" + "x=1&" * 3000).status_code == 400


def test_an_unknown_or_suspended_channel_is_a_404(channel):
    assert beacon(channel="nobody_here").status_code == 404
    channel.suspended_at = timezone.now()
    channel.save(update_fields=["suspended_at"])
    response = beacon()
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert not PageVisit.objects.exists()


def test_only_post_is_allowed(channel):
    assert Client().get("/analytics/visit").status_code == 405


def test_the_beacon_is_rate_limited_per_address(channel, settings):
    settings.ANALYTICS_VISIT_RATE_PER_MINUTE = 2
    assert beacon().status_code == 201
    assert beacon().status_code == 200  # deduplicated, but counted against the limit
    response = beacon(address=ADDRESS, ua=CHROME + " other")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert beacon(address="198.51.100.7").status_code == 201  # another address is unaffected


def test_a_signed_in_viewer_is_identified_by_session_not_address(channel, user):
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=CHROME)
    client.force_login(user)
    beacon(client)
    other_browser = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=CHROME)  # same address and browser
    assert beacon(other_browser).status_code == 201
    assert PageVisit.objects.values("visitor_hash").distinct().count() == 2


def test_the_classifier_keeps_only_the_host():
    assert traffic.referrer_host("https://WWW.Example.COM:8443/a/b?c=d#e") == "example.com"
    assert traffic.referrer_host("") == ""
    with pytest.raises(traffic.BadInput):
        traffic.referrer_host("ftp://example.com/")


def test_the_channel_page_and_the_embed_load_the_beacon(channel, client):
    page = client.get("/nova/").content.decode()
    assert 'data-visit-channel="nova"' in page and 'data-visit-url="/analytics/visit"' in page
    assert "data-visit-embed" not in page
    embed = client.get("/embed/nova/").content.decode()
    assert 'data-visit-channel="nova"' in embed and 'data-visit-embed="1"' in embed
