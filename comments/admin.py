"""Comments in the Django admin. Actions call the same services as the public views.

The moderation workspace (``/moderation/``) is where moderators work; the
admin offers the same actions, the bans and word rules, and the moderation
log, read-only for everyone.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html

from . import notifications, services, wordrules
from .models import (
    Ban,
    Comment,
    CommentRevision,
    ModerationAction,
    NotificationEvent,
    OutboxMessage,
    Report,
    Subscriber,
    Subscription,
    Vote,
    WordRule,
)


class CommentRevisionInline(admin.TabularInline):
    model = CommentRevision
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "body"]
    verbose_name_plural = "earlier versions (edits by the author)"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "short_body",
        "passage",
        "author_name",
        "article",
        "status",
        "created_at",
        "score",
        "spam_score",
        "report_count",
    ]
    list_filter = ["status", "created_at", "author_role"]
    search_fields = ["body", "author_name", "author_email"]
    list_select_related = ["article", "anchor"]
    raw_id_fields = ["article", "parent", "thread", "in_reply_to", "user"]
    readonly_fields = [
        # The status changes through the actions (services: counters, log).
        "status",
        "moderation_reason",
        "passage",
        "body_html",
        "path",
        "depth",
        "upvotes",
        "downvotes",
        "score",
        "descendant_count",
        "client_hash",
        "edited_at",
        "status_changed_at",
        "spam_score",
        "spam_signals",
        "report_count",
        "pinned_at",
    ]
    date_hierarchy = "created_at"
    inlines = [CommentRevisionInline]
    actions = ["approve", "reject", "mark_spam", "remove"]
    list_per_page = 100

    @admin.display(description="comment")
    def short_body(self, obj: Comment) -> str:
        return obj.body[:80]

    @admin.display(description="on the passage")
    def passage(self, obj: Comment) -> str:
        anchor = getattr(obj, "anchor", None)
        if anchor is None:
            return "—"
        quote = anchor.original_exact if anchor.is_orphaned else anchor.exact
        label = " (the passage was edited away)" if anchor.is_orphaned else ""
        return format_html("“{}”{}", quote[:300], label)

    def _apply(self, request, queryset, action: str, label: str) -> None:
        result = services.comments_moderate(
            comment_ids=list(queryset.values_list("pk", flat=True)),
            action=action,
            moderator=request.user,
        )
        self.message_user(request, f"{label}: {len(result.done)} comment(s).", messages.SUCCESS)
        for pk, message in result.refused:
            self.message_user(request, f"Comment {pk}: {message}", messages.WARNING)

    @admin.action(description="Approve", permissions=["change"])
    def approve(self, request, queryset):
        self._apply(request, queryset, "approve", "Approved")

    @admin.action(description="Reject", permissions=["change"])
    def reject(self, request, queryset):
        self._apply(request, queryset, "reject", "Rejected")

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._apply(request, queryset, "spam", "Marked as spam")

    @admin.action(description="Remove", permissions=["change"])
    def remove(self, request, queryset):
        self._apply(request, queryset, "remove", "Removed")


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["comment", "value", "created_at"]
    raw_id_fields = ["comment"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reason", "created_at", "resolution", "handled_by"]
    list_filter = ["reason", "resolution"]
    raw_id_fields = ["comment", "user", "handled_by"]
    readonly_fields = ["reporter", "client", "created_at", "handled_at", "handled_by", "resolution"]

    def has_add_permission(self, request) -> bool:
        return False  # readers report from the article page


class WordRuleForm(forms.ModelForm):
    class Meta:
        model = WordRule
        fields = ["phrase", "kind", "note"]

    def clean_phrase(self) -> str:
        phrase = self.cleaned_data["phrase"]
        if not wordrules.rule_key(phrase):
            raise ValidationError("Give a word or phrase (letters or digits).")
        return phrase


@admin.register(WordRule)
class WordRuleAdmin(admin.ModelAdmin):
    form = WordRuleForm
    list_display = ["phrase", "kind", "note", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["phrase", "key", "note"]

    def save_model(self, request, obj: WordRule, form, change: bool) -> None:
        saved = services.word_rule_add(
            phrase=obj.phrase, kind=obj.kind, note=obj.note, moderator=request.user
        )
        if change and obj.pk and obj.pk != saved.pk:
            services.word_rule_delete(rule=obj, moderator=request.user)
        obj.pk = saved.pk

    def delete_model(self, request, obj: WordRule) -> None:
        services.word_rule_delete(rule=obj, moderator=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for rule in queryset:
            services.word_rule_delete(rule=rule, moderator=request.user)


class BanForm(forms.ModelForm):
    class Meta:
        model = Ban
        fields = ["kind", "user", "email", "network", "expires_at", "reason"]

    def clean(self):
        data = super().clean()
        if "kind" in data:
            try:
                data["user"], data["email"], data["network"] = services.clean_ban_target(
                    kind=data["kind"],
                    user=data.get("user"),
                    email=data.get("email", ""),
                    network=data.get("network", ""),
                )
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        expires_at = data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            self.add_error("expires_at", "The end of a suspension must be in the future.")
        return data


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    form = BanForm
    list_display = ["__str__", "kind", "expires_at", "lifted_at", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["email", "network", "user__username", "user__email", "reason"]
    raw_id_fields = ["user"]
    fields = ["kind", "user", "email", "network", "expires_at", "reason"]
    actions = ["lift"]

    def get_readonly_fields(self, request, obj=None):
        # A ban is never edited: lift it and add another (both are logged).
        return self.fields if obj else []

    def save_model(self, request, obj: Ban, form, change: bool) -> None:
        if change:
            return
        saved = services.ban_add(
            kind=obj.kind,
            moderator=request.user,
            user=obj.user,
            email=obj.email,
            network=obj.network,
            expires_at=obj.expires_at,
            reason=obj.reason,
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # lifted, never deleted: the history stays

    @admin.action(description="Lift the selected bans", permissions=["change"])
    def lift(self, request, queryset):
        for ban in queryset:
            services.ban_lift(ban=ban, moderator=request.user)
        self.message_user(request, "Lifted.", messages.SUCCESS)


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The moderation log: readable by moderators, changeable by nobody."""

    list_display = ["created_at", "action", "moderator_name", "comment_id", "to_status", "reason"]
    list_filter = ["action"]
    search_fields = ["moderator_name", "reason", "detail"]
    date_hierarchy = "created_at"
    list_select_related = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- Notifications ----------------------------------------------------------------


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    fields = ["kind", "article", "comment", "status", "created_at", "confirmed_at"]
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "delivery", "user", "created_at"]
    list_filter = ["delivery"]
    # Exact matches only: an address is one mailbox, never a pattern.
    search_fields = ["=email"]
    raw_id_fields = ["user"]
    readonly_fields = ["email", "created_at"]
    inlines = [SubscriptionInline]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The e-mail outbox: what is waiting, what failed and why; failed ones can be retried."""

    list_display = ["__str__", "kind", "recipient", "state", "attempts", "due_at", "short_error"]
    list_filter = ["state", "kind"]
    search_fields = ["=subscriber__email"]
    list_select_related = ["subscriber"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    fields = [
        "kind",
        "state",
        "subscriber",
        "subscription",
        "comment",
        "digest",
        "digest_until",
        "attempts",
        "due_at",
        "last_error",
        "created_at",
        "sent_at",
        "message_id",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="to", ordering="subscriber__email")
    def recipient(self, obj: OutboxMessage) -> str:
        return obj.subscriber.email

    @admin.display(description="last error")
    def short_error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:80]

    def has_retry_permission(self, request) -> bool:
        # Rows are read-only here; sending one again is what "change" allows.
        return request.user.has_perm("comments.change_outboxmessage")

    @admin.action(description="Send again (failed messages)", permissions=["retry"])
    def retry(self, request, queryset):
        count = notifications.outbox_retry(messages=list(queryset.failed()))
        self.message_user(request, f"Queued again: {count} failed message(s).", messages.SUCCESS)


@admin.register(NotificationEvent)
class NotificationEventAdmin(admin.ModelAdmin):
    list_display = ["comment", "created_at", "processed_at", "recipients"]
    raw_id_fields = ["comment"]
    readonly_fields = ["comment", "created_at", "processed_at", "recipients"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False
