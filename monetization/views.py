"""Pages: the test checkout (local Stripe server only), the wait-for-webhook page, the dashboard."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from aethex.http import AuthedRequest
from channels_app.models import Channel
from channels_app.views import dashboard_context, dashboard_view
from monetization import campaigns, gateway, selectors, services
from monetization.forms import CampaignForm, CardForm, TierForm


@login_required
@require_http_methods(["GET", "POST"])
def checkout_page(request: AuthedRequest, token: str) -> HttpResponse:
    checkout = selectors.checkout_get(token=token)
    if checkout is None or checkout.user_id != request.user.pk or not settings.STRIPE_LOCAL_CHECKOUT:
        raise Http404("No such checkout.")
    if checkout.status != "open":
        return redirect("checkout-done", token=token)
    form = CardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.checkout_pay_local(checkout=checkout, user=request.user, card=form.card())
        except gateway.PaymentDeclined as exc:
            form.add_error(None, f"{exc.message} Nothing was charged; try another card.")
        except services.Conflict:
            return redirect("checkout-done", token=token)
        else:
            return redirect("checkout-done", token=token)
    return render(request, "monetization/checkout.html", {"checkout": checkout, "form": form})


@login_required
def checkout_done(request: AuthedRequest, token: str) -> HttpResponse:
    checkout = selectors.checkout_get(token=token)
    if checkout is None or checkout.user_id != request.user.pk:
        raise Http404("No such checkout.")
    paid = selectors.checkout_is_paid(checkout)
    return render(request, "monetization/done.html", {"checkout": checkout, "paid": paid})


@dashboard_view(owner_only=True)
@require_http_methods(["GET", "POST"])
def dashboard_page(request: AuthedRequest, channel: Channel) -> HttpResponse:
    tiers = services.tiers_ensure(channel=channel)
    forms = {t.tier: TierForm(prefix=f"t{t.tier}", instance=t) for t in tiers}
    action = request.POST.get("action", "")
    campaign_form = CampaignForm(request.POST if action == "campaign_start" else None, prefix="c")
    if action == "campaign_end":
        campaigns.campaign_end(channel=channel, actor=request.user)
        return redirect(f"{request.path}?channel={channel.slug}")
    if action == "campaign_start" and campaign_form.is_valid():
        try:
            campaigns.campaign_start(channel=channel, actor=request.user, **campaign_form.service_kwargs())
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                campaign_form.add_error(field if field in campaign_form.fields else None, errors)
        else:
            return redirect(f"{request.path}?channel={channel.slug}")
    if request.method == "POST" and not action:
        number = int(request.POST.get("tier", "0") or 0)
        if number in forms:
            form = forms[number] = TierForm(request.POST, prefix=f"t{number}", instance=None)
            if form.is_valid():
                try:
                    services.tier_update(
                        channel=channel, actor=request.user, tier=number, **form.cleaned_data
                    )
                except ValidationError as error:
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    return redirect(f"{request.path}?channel={channel.slug}&saved={number}")
    context = {
        **dashboard_context(request, channel, "monetization"),
        "tier_forms": [(t, forms[t.tier]) for t in tiers],
        "campaign_form": campaign_form,
        "campaign": (running := campaigns.current(channel=channel)) and campaigns.progress(running),
        "subscriber_count": selectors.subscriber_count(channel=channel),
        "balance": (Decimal(selectors.creator_balance_cents(channel=channel)) / 100).quantize(
            Decimal("0.01")
        ),
        "donations": selectors.recent_donations(channel=channel),
        "transactions": selectors.recent_transactions(channel=channel),
        "price_min": settings.SUBSCRIPTION_PRICE_MIN_CENTS / 100,
        "price_max": settings.SUBSCRIPTION_PRICE_MAX_CENTS / 100,
    }
    return render(request, "monetization/dashboard.html", context)


def campaign_overlay(request: HttpRequest, slug: str) -> HttpResponse:
    """A transparent page for OBS (browser source): the campaign's progress bar, public like the channel."""
    channel = Channel.objects.filter(slug=slug).first()
    if channel is None:
        raise Http404("No such channel.")
    return render(request, "monetization/campaign_overlay.html", {"channel": channel})
