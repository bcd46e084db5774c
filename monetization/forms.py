from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings

from monetization.models import SubscriptionTier


class CardForm(forms.Form):
    """The test checkout's card (local Stripe server only: real cards go through Stripe Checkout)."""

    number = forms.RegexField(
        label="Card number", regex=r"^[0-9 ]{12,23}$", initial="4242 4242 4242 4242", max_length=23
    )
    exp = forms.RegexField(label="Expiry (MM/YY)", regex=r"^(0[1-9]|1[0-2])/[0-9]{2}$", initial="12/34")
    cvc = forms.RegexField(label="CVC", regex=r"^[0-9]{3,4}$", initial="123")

    def card(self) -> dict[str, Any]:
        month, year = self.cleaned_data["exp"].split("/")
        return {
            "number": self.cleaned_data["number"].replace(" ", ""),
            "exp_month": int(month),
            "exp_year": 2000 + int(year),
            "cvc": self.cleaned_data["cvc"],
        }


class TierForm(forms.Form):
    name = forms.CharField(max_length=40)
    price = forms.DecimalField(
        label="Monthly price (USD)", max_digits=6, decimal_places=2, min_value=Decimal("0.5")
    )
    benefits = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, instance: SubscriptionTier | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs["initial"] = {
                "name": instance.name,
                "price": Decimal(instance.price_cents) / 100,
                "benefits": instance.benefits,
            }
        super().__init__(*args, **kwargs)
        low, high = settings.SUBSCRIPTION_PRICE_MIN_CENTS / 100, settings.SUBSCRIPTION_PRICE_MAX_CENTS / 100
        self.fields["price"].help_text = f"Between {low:.2f} and {high:.2f}."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "price" in data:
            data["price_cents"] = int(data.pop("price") * 100)
        return data


class CampaignForm(forms.Form):
    title = forms.CharField(max_length=80)
    goal = forms.DecimalField(label="Goal (USD)", max_digits=9, decimal_places=2, min_value=Decimal("1"))
    ends_at = forms.DateTimeField(
        label="Deadline (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"title": data["title"], "goal_cents": int(data["goal"] * 100), "ends_at": data["ends_at"]}
