from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from monetization import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("stripe/", include("djstripe.urls", namespace="djstripe")),
    path("checkout/<str:token>/", views.checkout_page, name="checkout"),
    path("checkout/<str:token>/done/", views.checkout_done, name="checkout-done"),
    path("overlay/<slug:slug>/campaign/", views.campaign_overlay, name="campaign-overlay"),
    path("dashboard/monetization/", views.dashboard_page, name="dashboard-monetization"),
]
