"""What channels_app tells the apps above it (streams drops publishers on these)."""

from __future__ import annotations

import django.dispatch

# sender=Channel, channel=<Channel>: the old key must stop working at once.
stream_key_rotated = django.dispatch.Signal()
# sender=Channel, channel=<Channel>: no publishing until unsuspended.
channel_suspended = django.dispatch.Signal()
# sender=Channel, channel=<Channel>, fields=<set of names>: title, category... changed (live status frames).
channel_updated = django.dispatch.Signal()
# sender=Channel, channel=<Channel>, user=<User>, following=<bool>: after commit of a follow or unfollow.
follow_changed = django.dispatch.Signal()
