from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from monetization import payout_views, revenue_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("stripe/", include("djstripe.urls", namespace="djstripe")),
    path("checkout/<str:token>/", views.checkout_page, name="checkout"),
    path("checkout/<str:token>/done/", views.checkout_done, name="checkout-done"),
    path("overlay/<slug:slug>/campaign/", views.campaign_overlay, name="campaign-overlay"),
    path("dashboard/monetization/", views.dashboard_page, name="dashboard-monetization"),
    path("dashboard/revenue/", revenue_views.revenue_page, name="dashboard-revenue"),
    path("dashboard/revenue/export.csv", revenue_views.revenue_csv, name="dashboard-revenue-csv"),
    path(
        "dashboard/revenue/statement/<int:year>.pdf",
        revenue_views.statement,
        name="dashboard-revenue-statement",
    ),
    path("dashboard/payouts/", payout_views.payouts_page, name="dashboard-payouts"),
    path("dashboard/payouts/return/", payout_views.payouts_return, name="payouts-return"),
    path("dashboard/payouts/test-onboarding/", payout_views.test_onboarding, name="payouts-test-onboarding"),
]
