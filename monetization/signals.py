"""What monetization tells the apps above it (chat announces, overlays alert, analytics count).

Every signal is sent after the money event's transaction commits, once per event (a webhook
delivered twice sends nothing the second time).
"""

from __future__ import annotations

import django.dispatch

# sender=<model class>, donation=<Donation>: a donation was paid.
# The Donation exposes channel, donor (None when anonymous or a guest), display_name,
# amount (Decimal), currency, message, created_at.
donation_received = django.dispatch.Signal()

# sender=<model class>, subscription=<subscription>, channel=<Channel>, user=<User>, tier=<1|2|3>,
# months=<int cumulative months>, gifted_by=<User | None>, message=<str>: a subscription
# started or renewed (resubscription when months > 1).
subscription_started = django.dispatch.Signal()

# sender=<model class>, channel=<Channel>, gifter=<User | None when anonymous>, tier=<1|2|3>,
# recipients=<list[User]>: a gift of N subscriptions was delivered.
gift_subscriptions_given = django.dispatch.Signal()
