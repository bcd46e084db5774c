"""The Analytics page's date range: presets (7/30/90 days) or custom from/to, in the viewer's zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone

PRESETS = [("7", "Last 7 days"), ("30", "Last 30 days"), ("90", "Last 90 days"), ("custom", "Custom")]
DEFAULT_PRESET = "30"
MAX_DAYS = 366


@dataclass(frozen=True)
class DateRange:
    """Whole days [start, end] in the viewer's zone; `start_at`/`end_at` are the instants bounding them."""

    start: dt.date
    end: dt.date
    tz: dt.tzinfo

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=self.tz)

    @property
    def end_at(self) -> dt.datetime:
        """The first instant after the range (midnight after `end`)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=self.tz)

    def query(self) -> str:
        return f"from={self.start.isoformat()}&to={self.end.isoformat()}"

    @classmethod
    def last(cls, days: int, today: dt.date | None = None) -> DateRange:
        today = today or timezone.localdate()
        return cls(start=today - dt.timedelta(days=days - 1), end=today, tz=timezone.get_current_timezone())


class DateRangeForm(forms.Form):
    range = forms.ChoiceField(choices=PRESETS, required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        # "from" is a Python keyword, and the page's URLs say ?from=&to=.
        self.fields["from"] = forms.DateField(
            required=False, label="From", widget=forms.DateInput({"type": "date"})
        )
        self.fields["to"] = forms.DateField(
            required=False, label="To", widget=forms.DateInput({"type": "date"})
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        preset = data.get("range") or ("custom" if start or end else DEFAULT_PRESET)
        data["range"] = preset
        if preset != "custom":
            return data
        if not start or not end:
            raise forms.ValidationError("Pick both a start and an end date.", code="incomplete")
        if start > end:
            self.add_error(
                "to", forms.ValidationError("The end date is before the start date.", code="order")
            )
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error("to", forms.ValidationError(f"Pick at most {MAX_DAYS} days.", code="too_long"))
        elif end > timezone.localdate() + dt.timedelta(days=1):
            self.add_error("to", forms.ValidationError("The end date is in the future.", code="future"))
        return data

    def date_range(self) -> DateRange:
        """The chosen range, or the default 30 days when the form is invalid (errors are shown)."""
        if not self.is_valid():
            return DateRange.last(int(DEFAULT_PRESET))
        data = self.cleaned_data
        if data["range"] != "custom":
            return DateRange.last(int(data["range"]))
        return DateRange(start=data["from"], end=data["to"], tz=timezone.get_current_timezone())

    def input_values(self, date_range: DateRange) -> dict[str, str]:
        """The custom inputs' values: a rejected entry stays so it can be corrected."""
        if self.is_bound and self.errors:
            return {
                "from_value": str(self.data.get("from", ""))[:10],
                "to_value": str(self.data.get("to", ""))[:10],
            }
        return {"from_value": date_range.start.isoformat(), "to_value": date_range.end.isoformat()}
