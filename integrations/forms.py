"""The dashboard's alert settings: shared fields, and one rule form per kind (a model formset).

Amounts are typed in the currency's units and stored in cents.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from integrations.models import AlertKind, AlertRule, AlertSettings

MAX_AMOUNT = Decimal("100000")


def _amount_field(label: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        max_value=MAX_AMOUNT,
        decimal_places=2,
        max_digits=8,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
    )


def _cents(value: Decimal | None) -> int:
    return int(((value or Decimal("0")) * 100).to_integral_value())


class AlertSettingsForm(forms.ModelForm):
    tts_min_amount = _amount_field(
        "Read aloud from", "Donations below this amount are shown but not read aloud."
    )

    class Meta:
        model = AlertSettings
        fields = ["volume"]
        widgets = {"volume": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5})}
        labels = {"volume": "Sound volume (%)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tts_min_amount"].initial = Decimal(self.instance.tts_min_amount_cents) / 100

    def changes(self) -> dict[str, Any]:
        return {
            "volume": self.cleaned_data["volume"],
            "tts_min_amount_cents": _cents(self.cleaned_data["tts_min_amount"]),
        }


class AlertRuleForm(forms.ModelForm):
    min_amount = _amount_field("Minimum amount", "Smaller donations do not alert.")

    class Meta:
        model = AlertRule
        fields = ["enabled", "message_template", "duration_seconds", "sound", "tts"]
        labels = {
            "enabled": "Show these alerts",
            "message_template": "Message",
            "duration_seconds": "Seconds",
        }
        widgets = {"duration_seconds": forms.NumberInput(attrs={"min": 2, "max": 30})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["min_amount"].initial = Decimal(self.instance.min_amount_cents) / 100
        self.fields["message_template"].help_text = "Placeholders: " + self.placeholders()
        if not self.has_amount:
            del self.fields["min_amount"]

    @property
    def has_amount(self) -> bool:
        return self.instance.kind == AlertKind.DONATION

    @property
    def kind_label(self) -> str:
        return dict(AlertKind.choices).get(self.instance.kind, "Alert")

    def placeholders(self) -> str:
        extra = {
            AlertKind.SUBSCRIPTION: ["months", "tier"],
            AlertKind.GIFT: ["count", "tier"],
            AlertKind.DONATION: ["amount"],
            AlertKind.RAID: ["viewers"],
        }.get(self.instance.kind, [])
        return ", ".join("{" + name + "}" for name in ["name", *extra])

    def changes(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if self.has_amount:
            fields["min_amount_cents"] = _cents(self.cleaned_data["min_amount"])
        return fields


class BaseAlertRuleFormSet(forms.BaseModelFormSet):
    def clean(self) -> None:
        super().clean()
        # A bound form whose id is not one of this channel's rules gets a blank instance: refuse
        # it rather than ignore it (a stale page, or a tampered id).
        if any(form.instance.pk is None for form in self.forms):
            raise forms.ValidationError("These alert settings changed since the page loaded: reload it.")


# edit_only: a tampered TOTAL_FORMS can never create rules.
AlertRuleFormSet = forms.modelformset_factory(
    AlertRule, form=AlertRuleForm, formset=BaseAlertRuleFormSet, extra=0, edit_only=True
)
