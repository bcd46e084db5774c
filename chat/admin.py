"""The chat moderation console: the held queue, reports with one-click actions, the moderation log,
emotes, bans and blocked terms. Every change goes through a chat service (rights, audit log,
cache invalidation, room broadcasts); no row is edited or deleted behind their back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms.models import BaseModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from accounts.models import User
from chat.models import (
    BlockedTerm,
    ChatBan,
    Emote,
    Message,
    MessageReport,
    MessageState,
    ModerationAction,
    ReportStatus,
)
from chat.services import moderation
from chat.services.emotes import emote_create, emote_delete
from chat.services.messages import ChatRefused
from chat.services.reports import ReportAction, report_context, report_resolve

T = TypeVar("T", bound=Model)
REPORT_CONTEXT_SIZE = 10


def _staff(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the admin site only lets signed-in staff in
    return request.user


def _each(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    items: Iterable[T],
    call: Callable[[T], object],
    done_message: str,
) -> None:
    """Run a service on each item; report how many went through and why the others were refused."""
    done, refused = 0, []
    for item in items:
        try:
            call(item)
            done += 1
        except ChatRefused as exc:
            refused.append(f"{item}: {exc.message}")
    modeladmin.message_user(request, done_message.format(count=done), messages.SUCCESS)
    if refused:
        more = f" (and {len(refused) - 5} more)" if len(refused) > 5 else ""
        modeladmin.message_user(request, "Refused: " + "; ".join(refused[:5]) + more, messages.WARNING)


class DefaultChoiceFilter(admin.SimpleListFilter):
    """A choice filter that starts on `default` (the queue moderators came for), with an "All" choice."""

    default = ""
    field = ""
    options: list[tuple[str, str]] = []

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [*self.options, ("all", "All")]

    def current(self) -> str:
        return str(self.value() or self.default)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.current()
        return queryset if value == "all" else queryset.filter(**{self.field: value})

    def choices(self, changelist: Any) -> Iterator[Any]:
        for value, title in self.lookup_choices:
            yield {
                "selected": self.current() == str(value),
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }


class ServiceForm(forms.ModelForm):
    """An add form whose save is a service call: the service runs at validation time, so what it
    refuses shows on the form (not as a 500 from save_model) and the admin logs the created row."""

    acting_user: User | None = None

    def run_service(self) -> Model:
        raise NotImplementedError

    def _post_clean(self) -> None:
        if self.errors:
            return
        try:
            self.instance = self.run_service()
        except ValidationError as exc:
            self.add_error(None, exc)
        except ChatRefused as exc:
            self.add_error(None, exc.message)


def _service_form(form: type[BaseModelForm], request: HttpRequest) -> type[BaseModelForm]:
    # get_form builds a fresh class per request, so a class attribute is safe to carry the user.
    cast(type[ServiceForm], form).acting_user = _staff(request)
    return form


# --- Messages: the held queue ---------------------------------------------------------------


class MessageQueueFilter(DefaultChoiceFilter):
    title = "queue"
    parameter_name = "queue"
    field = "state"
    default = MessageState.HELD
    options = [(str(value), str(label)) for value, label in MessageState.choices]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Opens on the automod queue (held messages, oldest first); "All" shows the chat history."""

    list_display = ["excerpt", "user", "channel", "state", "held_reason", "sent_at", "deleted_at"]
    list_filter = [MessageQueueFilter, ("deleted_at", admin.EmptyFieldListFilter), "sent_at"]
    search_fields = ["text", "user__username", "channel__slug"]
    list_select_related = ["user", "channel"]
    raw_id_fields = ["channel", "stream", "user", "deleted_by"]
    ordering = ["sent_at"]
    date_hierarchy = "sent_at"
    actions = ["approve", "deny", "delete_messages"]

    def get_readonly_fields(self, request: HttpRequest, obj: Message | None = None) -> list[str]:
        return [field.name for field in Message._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False  # "Delete message" (soft, logged, broadcast) is the action to use

    @admin.display(description="message")
    def excerpt(self, message: Message) -> str:
        return message.text if len(message.text) <= 80 else f"{message.text[:79]}…"

    @admin.action(description="Approve (show in chat)")
    def approve(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        held = queryset.filter(state=MessageState.HELD).select_related("channel", "user")
        staff = _staff(request)
        _each(
            self,
            request,
            held,
            lambda m: moderation.held_approve(message=m, moderator=staff),
            "Approved {count}.",
        )

    @admin.action(description="Deny (never shown)")
    def deny(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        held = queryset.filter(state=MessageState.HELD).select_related("channel", "user")
        staff = _staff(request)
        _each(
            self, request, held, lambda m: moderation.held_deny(message=m, moderator=staff), "Denied {count}."
        )

    @admin.action(description="Delete message (removed from everyone's chat)")
    def delete_messages(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        live = queryset.filter(deleted_at__isnull=True).select_related("channel", "user")
        staff = _staff(request)
        _each(
            self,
            request,
            live,
            lambda m: moderation.message_delete(message=m, moderator=staff),
            "Deleted {count}.",
        )


# --- Reports --------------------------------------------------------------------------------


class ReportStatusFilter(DefaultChoiceFilter):
    title = "status"
    parameter_name = "queue"
    field = "status"
    default = ReportStatus.OPEN
    options = [(str(value), str(label)) for value, label in ReportStatus.choices]


REPORT_ACTION_LABELS: dict[ReportAction, str] = {
    "dismiss": "Dismiss",
    "delete": "Delete message",
    "timeout": "Timeout 10 min",
    "ban": "Ban sender",
}


@admin.register(MessageReport)
class MessageReportAdmin(admin.ModelAdmin):
    """Opens on open reports, oldest first. Each report page shows the message, the sender's recent
    messages in that channel, and one button per action."""

    list_display = ["excerpt", "sender", "channel", "reporter", "reason", "status", "created_at"]
    list_filter = [ReportStatusFilter, "created_at"]
    search_fields = [
        "message__text",
        "message__user__username",
        "message__channel__slug",
        "reporter__username",
        "reason",
    ]
    list_select_related = ["message__user", "message__channel", "reporter"]
    raw_id_fields = ["message", "reporter", "resolved_by"]
    ordering = ["created_at"]
    fields = readonly_fields = (
        "message_text",
        "sender",
        "channel",
        "sent_at",
        "reporter",
        "reason",
        "status",
        "resolved_by",
        "created_at",
        "sender_recent_messages",
        "resolve",
    )
    actions = ["dismiss", "delete_message", "timeout_sender", "ban_sender"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: MessageReport | None = None) -> bool:
        return False  # a report is history: dismiss it instead

    @admin.display(description="message")
    def excerpt(self, report: MessageReport) -> str:
        text = report.message.text
        return text if len(text) <= 80 else f"{text[:79]}…"

    @admin.display(description="message")
    def message_text(self, report: MessageReport) -> str:
        return report.message.text

    @admin.display(description="sender")
    def sender(self, report: MessageReport) -> User:
        return report.message.user

    @admin.display(description="channel")
    def channel(self, report: MessageReport) -> str:
        return str(report.message.channel)

    @admin.display(description="sent at")
    def sent_at(self, report: MessageReport) -> Any:
        return report.message.sent_at

    @admin.display(description="sender's recent messages here")
    def sender_recent_messages(self, report: MessageReport) -> SafeString:
        recent = report_context(report=report, limit=REPORT_CONTEXT_SIZE)
        rows = format_html_join(
            "",
            "<li>{}<time>{}</time> {}{}</li>",
            (
                (
                    "▶ reported: " if m.pk == report.message_id else "",
                    m.sent_at.strftime("%Y-%m-%d %H:%M:%S"),
                    m.text,
                    f" [{m.get_state_display()}{', deleted' if m.deleted_at else ''}]"
                    if not m.is_visible
                    else "",
                )
                for m in recent
            ),
        )
        return format_html("<ol>{}</ol>", rows)

    @admin.display(description="act")
    def resolve(self, report: MessageReport) -> SafeString:
        if report.status != ReportStatus.OPEN:
            return format_html("{}", report.get_status_display())
        # Buttons of the change form itself: response_change reads which one was pressed.
        return format_html_join(
            " ",
            '<button type="submit" class="button" name="_report_action" value="{}">{}</button>',
            REPORT_ACTION_LABELS.items(),
        )

    def save_model(self, request: HttpRequest, obj: MessageReport, form: Any, change: bool) -> None:
        pass  # every field is read-only; the page's only write is the button, handled below

    def response_change(self, request: HttpRequest, obj: MessageReport) -> HttpResponse:
        action = request.POST.get("_report_action")
        if action in REPORT_ACTION_LABELS:
            self._resolve(request, [obj], cast(ReportAction, action))
            return HttpResponseRedirect(reverse("admin:chat_messagereport_changelist"))
        return super().response_change(request, obj)

    def _resolve(self, request: HttpRequest, reports: Iterable[MessageReport], action: ReportAction) -> None:
        staff = _staff(request)
        pending = (
            r for r in reports if MessageReport.objects.filter(pk=r.pk, status=ReportStatus.OPEN).exists()
        )
        _each(
            self,
            request,
            pending,  # an earlier report of the same message resolves the later ones with it
            lambda r: report_resolve(report=r, moderator=staff, action=action),
            f"{REPORT_ACTION_LABELS[action]}: resolved {{count}} report(s).",
        )

    def _open(self, queryset: QuerySet[MessageReport]) -> list[MessageReport]:
        return list(
            queryset.filter(status=ReportStatus.OPEN).select_related("message__channel", "message__user")
        )

    @admin.action(description="Dismiss")
    def dismiss(self, request: HttpRequest, queryset: QuerySet[MessageReport]) -> None:
        self._resolve(request, self._open(queryset), "dismiss")

    @admin.action(description="Delete the reported message")
    def delete_message(self, request: HttpRequest, queryset: QuerySet[MessageReport]) -> None:
        self._resolve(request, self._open(queryset), "delete")

    @admin.action(description="Time the sender out for 10 minutes")
    def timeout_sender(self, request: HttpRequest, queryset: QuerySet[MessageReport]) -> None:
        self._resolve(request, self._open(queryset), "timeout")

    @admin.action(description="Ban the sender from the channel")
    def ban_sender(self, request: HttpRequest, queryset: QuerySet[MessageReport]) -> None:
        self._resolve(request, self._open(queryset), "ban")


# --- The moderation log ---------------------------------------------------------------------


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The audit log: read-only by design."""

    list_display = ["created_at", "kind", "channel", "moderator", "target", "reason", "duration_seconds"]
    list_filter = ["kind", ("channel", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["reason", "moderator__username", "target__username", "channel__slug"]
    list_select_related = ["channel", "moderator", "target"]
    raw_id_fields = ["channel", "moderator", "target", "message"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ModerationAction | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ModerationAction | None = None) -> bool:
        return False


# --- Emotes ---------------------------------------------------------------------------------


class EmoteAddForm(ServiceForm):
    upload = forms.FileField(help_text="PNG, GIF, WebP or JPEG, 28–1024 px, at most 1 MB; animations kept.")

    class Meta:
        model = Emote
        fields = ["code", "channel", "subscriber_only"]

    def run_service(self) -> Model:
        data = self.cleaned_data
        return emote_create(
            code=data["code"],
            upload=data["upload"],
            channel=data.get("channel"),
            created_by=self.acting_user,
            subscriber_only=bool(data.get("subscriber_only")),
        )


@admin.register(Emote)
class EmoteAdmin(admin.ModelAdmin):
    """Add uploads through emote_create (validated, resized); an emote is then replaced, not edited."""

    list_display = ["preview", "code", "channel", "animated", "subscriber_only", "created_by", "created_at"]
    list_filter = [("channel", admin.EmptyFieldListFilter), "animated", "subscriber_only"]
    search_fields = ["code", "channel__slug"]
    list_select_related = ["channel", "created_by"]
    raw_id_fields = ["channel", "created_by"]
    readonly_fields = [
        "preview",
        "code",
        "channel",
        "animated",
        "subscriber_only",
        "image_1x",
        "image_2x",
        "image_4x",
        "created_by",
        "created_at",
    ]

    def get_fields(self, request: HttpRequest, obj: Emote | None = None) -> tuple[str, ...]:
        return (
            ("code", "channel", "subscriber_only", "upload") if obj is None else tuple(self.readonly_fields)
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Emote | None = None) -> list[str]:
        return [] if obj is None else list(self.readonly_fields)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = EmoteAddForm
            return _service_form(super().get_form(request, obj, change=change, **kwargs), request)
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request: HttpRequest, obj: Emote, form: Any, change: bool) -> None:
        pass  # created by emote_create while the add form validated

    def delete_model(self, request: HttpRequest, obj: Emote) -> None:
        emote_delete(emote=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Emote]) -> None:
        for emote in queryset:
            emote_delete(emote=emote)

    @admin.display(description="image")
    def preview(self, emote: Emote) -> str:
        if not emote.image_2x:
            return "–"
        return format_html('<img src="{}" width="28" height="28" alt="{}">', emote.image_2x.url, emote.code)


# --- Bans and blocked terms -----------------------------------------------------------------


class ChatBanAddForm(ServiceForm):
    timeout_seconds = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=moderation.MAX_TIMEOUT_SECONDS,
        help_text="Empty for a ban; seconds (1 s – 14 days) for a timeout in one channel.",
    )

    class Meta:
        model = ChatBan
        fields = ["user", "channel", "reason"]
        help_texts = {"channel": "Empty bans the user from every channel's chat (site-wide)."}

    def run_service(self) -> Model:
        staff, data = self.acting_user, self.cleaned_data
        assert staff is not None
        target, channel, reason = data["user"], data["channel"], data["reason"]
        seconds = data["timeout_seconds"]
        if channel is None:
            if seconds:
                raise ValidationError("A timeout is for one channel: choose the channel.")
            return moderation.sitewide_ban(target=target, staff=staff, reason=reason)
        if seconds:
            return moderation.user_timeout(
                channel=channel, target=target, moderator=staff, seconds=seconds, reason=reason
            )
        return moderation.user_ban(channel=channel, target=target, moderator=staff, reason=reason)


@admin.register(ChatBan)
class ChatBanAdmin(admin.ModelAdmin):
    """Bans and timeouts, made in chat, from a report, or added here; lifted here (through the services)."""

    list_display = ["user", "where", "kind", "expires_at", "reason", "created_by", "created_at"]
    list_filter = [
        ("channel", admin.EmptyFieldListFilter),
        ("expires_at", admin.EmptyFieldListFilter),
        "created_at",
    ]
    search_fields = ["user__username", "user__email", "channel__slug", "reason"]
    list_select_related = ["user", "channel", "created_by"]
    raw_id_fields = ["user", "channel", "created_by"]
    ordering = ["-created_at"]
    actions = ["lift"]

    def get_fields(self, request: HttpRequest, obj: ChatBan | None = None) -> Any:
        if obj is None:
            return ("user", "channel", "timeout_seconds", "reason")
        return [field.name for field in ChatBan._meta.fields]

    def get_readonly_fields(self, request: HttpRequest, obj: ChatBan | None = None) -> list[str]:
        return [] if obj is None else [field.name for field in ChatBan._meta.fields]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = ChatBanAddForm
            return _service_form(super().get_form(request, obj, change=change, **kwargs), request)
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request: HttpRequest, obj: ChatBan, form: Any, change: bool) -> None:
        pass  # made by the moderation service while the add form validated

    def has_delete_permission(self, request: HttpRequest, obj: ChatBan | None = None) -> bool:
        return False  # "Lift" unbans through the service: logged, cache invalidated

    @admin.display(description="channel")
    def where(self, ban: ChatBan) -> str:
        return str(ban.channel) if ban.channel_id else "every channel (site-wide)"

    @admin.display(description="kind")
    def kind(self, ban: ChatBan) -> str:
        return "timeout" if ban.expires_at else "ban"

    @admin.action(description="Lift (unban / end the timeout)")
    def lift(self, request: HttpRequest, queryset: QuerySet[ChatBan]) -> None:
        staff = _staff(request)

        def unban(ban: ChatBan) -> None:
            if ban.channel is None:
                moderation.sitewide_unban(target=ban.user, staff=staff)
            else:
                moderation.user_unban(channel=ban.channel, target=ban.user, moderator=staff)

        _each(self, request, queryset.select_related("channel", "user"), unban, "Lifted {count}.")


class BlockedTermAddForm(ServiceForm):
    class Meta:
        model = BlockedTerm
        fields = ["channel", "pattern"]

    def run_service(self) -> Model:
        assert self.acting_user is not None
        data = self.cleaned_data
        return moderation.blocked_term_add(
            channel=data["channel"], pattern=data["pattern"], moderator=self.acting_user
        )


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    list_display = ["pattern", "channel", "created_by", "created_at"]
    search_fields = ["pattern", "channel__slug"]
    list_select_related = ["channel", "created_by"]
    raw_id_fields = ["channel"]

    def get_fields(self, request: HttpRequest, obj: BlockedTerm | None = None) -> tuple[str, ...]:
        return ("channel", "pattern") if obj is None else ("channel", "pattern", "created_by", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: BlockedTerm | None = None) -> list[str]:
        return [] if obj is None else ["channel", "pattern", "created_by", "created_at"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = BlockedTermAddForm
            return _service_form(super().get_form(request, obj, change=change, **kwargs), request)
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request: HttpRequest, obj: BlockedTerm, form: Any, change: bool) -> None:
        pass  # created by blocked_term_add while the add form validated

    def delete_model(self, request: HttpRequest, obj: BlockedTerm) -> None:
        moderation.blocked_term_remove(term=obj, moderator=_staff(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[BlockedTerm]) -> None:
        staff = _staff(request)
        for term in queryset.select_related("channel"):
            moderation.blocked_term_remove(term=term, moderator=staff)
