from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from monetization import api, payout_api

urlpatterns: list[URLPattern | URLResolver] = [
    path("channels/<slug:slug>/subscribe", api.SubscribeView.as_view(), name="api-channel-subscribe"),
    path("channels/<slug:slug>/donate", api.DonateView.as_view(), name="api-channel-donate"),
    path("channels/<slug:slug>/gift", api.GiftView.as_view(), name="api-channel-gift"),
    path("channels/<slug:slug>/tiers", api.TiersView.as_view(), name="api-channel-tiers"),
    path("channels/<slug:slug>/tiers/<int:tier>", api.TierView.as_view(), name="api-channel-tier"),
    path("channels/<slug:slug>/subscription", api.MySubscriptionView.as_view(), name="api-my-subscription"),
    path("channels/<slug:slug>/campaign", api.CampaignView.as_view(), name="api-channel-campaign"),
    path("checkouts/<str:token>", api.CheckoutStatusView.as_view(), name="api-checkout-status"),
]

urlpatterns += [path("payouts/", payout_api.PayoutsView.as_view(), name="api-payouts")]
