"""What streams tells the apps above it (social notifies followers, vods archives recordings)."""

from __future__ import annotations

import django.dispatch

# sender=Stream, stream=<Stream>: a session went live (after commit).
stream_went_live = django.dispatch.Signal()
# sender=Stream, stream=<Stream>: a live session ended, whoever ended it (after commit); vods
# archives its recordings then (a recording that finishes while still live waits for this).
stream_ended = django.dispatch.Signal()
# sender=Stream, stream=<Stream>: we ended a live session; the media layer drops its publisher.
stream_ended_by_platform = django.dispatch.Signal()
# sender=Stream, stream=<Stream>, path=<str>: nginx-rtmp finished writing a recording.
recording_finished = django.dispatch.Signal()
