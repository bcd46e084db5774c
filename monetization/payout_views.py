"""Pages: the dashboard's Payouts section, the return from Stripe onboarding, the local test onboarding."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import stripe
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from aethex.http import AuthedRequest
from channels_app.models import Channel
from channels_app.views import dashboard_context, dashboard_url, dashboard_view
from monetization import payouts, services

PAGE_SIZE = 20


def _cents(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def _amount_cents(raw: str) -> int | None:
    """The form's dollars (blank = everything available) in cents; a bad figure is a form error."""
    raw = raw.strip().lstrip("$")
    if not raw:
        return None
    try:
        amount = Decimal(raw)
    except ArithmeticError:
        raise ValidationError({"amount": ["Type an amount such as 75.00."]}) from None
    if not amount.is_finite() or amount <= 0 or amount > 1_000_000:
        raise ValidationError({"amount": ["Type an amount such as 75.00."]})
    return int((amount * 100).to_integral_value())


@dashboard_view(owner_only=True)
@require_http_methods(["GET", "POST"])
def payouts_page(request: AuthedRequest, channel: Channel) -> HttpResponse:
    error = ""
    action = request.POST.get("action", "")
    if action == "onboard":
        back = request.build_absolute_uri(dashboard_url("payouts-return", channel))
        try:
            url = payouts.connect_onboarding_start(
                channel=channel, user=request.user, refresh_url=back, return_url=back
            )
        except stripe.StripeError:
            error = "Stripe did not answer; nothing changed. Try again in a moment."
        else:
            return redirect(url)
    elif action == "request":
        try:
            payouts.payout_request(
                channel=channel, user=request.user, amount_cents=_amount_cents(request.POST.get("amount", ""))
            )
        except ValidationError as exc:
            error = " ".join(message for messages in exc.message_dict.values() for message in messages)
        except services.Conflict as exc:
            error = str(exc)
        else:
            messages.success(
                request, "Payout requested. Staff review it, then it is sent to your Stripe account."
            )
            return redirect(dashboard_url("dashboard-payouts", channel))
    history = payouts.payouts_for(channel=channel)
    page = Paginator(history, PAGE_SIZE)
    context = {
        **dashboard_context(request, channel, "monetization"),
        "account": payouts.connect_account_get(channel=channel),
        "available": _cents(payouts.available_cents(channel=channel)),
        "minimum": _cents(settings.PAYOUT_MINIMUM_CENTS),
        "page": page.get_page(request.GET.get("page")),
        "error": error,
        "local_stripe": settings.STRIPE_LOCAL_CHECKOUT,
    }
    return render(request, "monetization/payouts.html", context, status=400 if error else 200)


@dashboard_view(owner_only=True)
def payouts_return(request: AuthedRequest, channel: Channel) -> HttpResponse:
    """Stripe sends the broadcaster back here: read the account's flags once, then show the page."""
    with contextlib.suppress(stripe.StripeError):  # else the account.updated webhook brings the flags
        payouts.connect_account_refresh(channel=channel, user=request.user)
    return redirect(dashboard_url("dashboard-payouts", channel))


@dashboard_view(owner_only=True)
@require_http_methods(["GET", "POST"])
def test_onboarding(request: AuthedRequest, channel: Channel) -> HttpResponse:
    """Development only: stands in for Stripe's Express onboarding, which the local server lacks."""
    account = payouts.connect_account_get(channel=channel)
    if not settings.STRIPE_LOCAL_CHECKOUT or account is None:
        raise Http404("No test onboarding here.")
    if request.method == "POST":
        try:
            payouts.connect_local_complete(channel=channel, user=request.user)
        except PermissionDenied as exc:
            raise Http404(str(exc)) from exc
        return redirect(dashboard_url("dashboard-payouts", channel))
    return render(
        request,
        "monetization/test_onboarding.html",
        {**dashboard_context(request, channel, "monetization"), "account": account},
    )
