"""Comments in the Django admin. Actions call the same services as the public views.

The moderation workspace (``/moderation/``) is where moderators work; the
admin offers the same actions, the bans and word rules, and the moderation
log, read-only for everyone. Comments and reports are read-only there too:
they change only through the actions and the workspace, which log.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from . import delivery, notifications, services, wording, wordrules
from .models import (
    Ban,
    Comment,
    CommentRevision,
    EmailTemplate,
    ModerationAction,
    NotificationEvent,
    OutboxMessage,
    Report,
    Subscriber,
    Subscription,
    ThreadMute,
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
    # Django 6 makes https the default scheme of URL form fields; say so now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
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
    # The address a comment was posted from is for bans only: moderators see it
    # on the workspace's ban form (/moderation/bans/new/?comment=…), not here.
    exclude = ["ip_address"]
    date_hierarchy = "created_at"
    inlines = [CommentRevisionInline]
    actions = ["approve", "reject", "mark_spam", "remove"]
    list_per_page = 100

    def has_change_permission(self, request, obj=None) -> bool:
        # A comment changes only through the actions (services: counters, the
        # moderation log, notifications); editing its text, author, article or
        # parent here would change what readers see with no trace in the log.
        # So its page is a record to read; the actions need "change" on the list.
        return obj is None and super().has_change_permission(request)

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

    def has_change_permission(self, request, obj=None) -> bool:
        # A report is a reader's words: moderators handle it in the workspace
        # (dismiss, or act on the comment), which the log records, never edit it.
        return False


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
    search_fields = ["=subscriber__email", "=user__email"]
    list_select_related = ["subscriber", "user"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    fields = [
        "kind",
        "state",
        "subscriber",
        "user",
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
        return obj.recipient

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


@admin.register(ThreadMute)
class ThreadMuteAdmin(admin.ModelAdmin):
    list_display = ["subscription", "thread", "created_at"]
    raw_id_fields = ["subscription", "thread"]
    readonly_fields = ["subscription", "thread", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False


# --- The wording of notification e-mails (comments/wording.py) ------------------------


class EmailTemplateForm(forms.ModelForm):
    """Shows the wording in force (the default where nothing was changed); checks it."""

    class Meta:
        model = EmailTemplate
        fields = wording.PARTS
        widgets = {
            "subject": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "heading": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "intro": forms.Textarea(attrs={"rows": 5, "class": "vLargeTextField"}),
            "footer": forms.Textarea(attrs={"rows": 7, "class": "vLargeTextField"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.instance.kind
        for part in wording.PARTS:
            self.fields[part].required = True
            self.fields[part].strip = False
            self.fields[part].error_messages["required"] = (
                "Write something. To go back to the default wording, use “Reset to the "
                "default wording” in the list of e-mails."
            )
            if not self.initial.get(part):
                self.initial[part] = wording.default(kind, part)

    def clean(self):
        data = super().clean()
        parts = {part: data.get(part) or "" for part in wording.PARTS}
        if all(part in data for part in wording.PARTS):
            for part, problems in wording.check(self.instance.kind, parts).items():
                for problem in problems:
                    self.add_error(part, problem)
        return data

    def save(self, commit: bool = True):
        # Wording left as the default is stored empty, so it follows the
        # default when that changes.
        for part in wording.PARTS:
            text = getattr(self.instance, part).strip()
            setattr(
                self.instance,
                part,
                "" if text == wording.default(self.instance.kind, part) else text,
            )
        return super().save(commit)


def _style_hashes(document: str) -> list[str]:
    """CSP hashes of the inline style attributes of an e-mail (for its preview)."""
    values = {html.unescape(value) for value in re.findall(r'style="([^"]*)"', document)}
    digests = (base64.b64encode(hashlib.sha256(v.encode()).digest()).decode() for v in values)
    return sorted(f"'sha256-{digest}'" for digest in digests)


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    """Editors reword the notification e-mails, with a preview, without a deploy.

    One row per kind of e-mail (made by a migration): nothing to add or
    delete. What editors write is checked (``wording.check``) before it is
    saved; the layout, the comment, the buttons and the List-Unsubscribe
    headers are not theirs to change.
    """

    form = EmailTemplateForm
    change_form_template = "admin/comments/emailtemplate/change_form.html"
    list_display = ["__str__", "customised", "updated_at", "updated_by"]
    list_select_related = ["updated_by"]
    readonly_fields = ["placeholders"]
    fieldsets = [
        (None, {"fields": ["subject", "heading", "intro", "footer"]}),
        ("What you can write", {"fields": ["placeholders"]}),
    ]
    actions = ["reset"]

    class Media:
        css = {"all": ["css/admin-email.css"]}

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="wording")
    def customised(self, obj: EmailTemplate) -> str:
        changed = [part for part in wording.PARTS if getattr(obj, part)]
        return ("Changed: " + ", ".join(changed)) if changed else "Default"

    @admin.display(description="placeholders")
    def placeholders(self, obj: EmailTemplate) -> str:
        rows = format_html_join(
            "",
            "<li><code>{{{{ {} }}}}</code>: {}</li>",
            sorted(wording.PLACEHOLDERS[obj.kind].items()),
        )
        required = format_html_join(
            ", ",
            "<code>{{{{ {} }}}}</code>",
            ((name,) for name in wording.REQUIRED.get(obj.kind, ())),
        )
        return format_html(
            '<div class="email-help"><p>Plain text: a blank line starts a new paragraph. '
            "Links: <code>[words to click]({{{{ something_url }}}})</code>, to the addresses "
            "below only. Filters and <code>{{% if %}}</code> work as in Django templates, "
            "e.g. <code>comment{{{{ total|pluralize }}}}</code>.{}</p><ul>{}</ul></div>",
            format_html(" This e-mail must keep the links {}.", required) if required else "",
            rows,
        )

    @admin.action(description="Reset to the default wording", permissions=["change"])
    def reset(self, request, queryset):
        count = queryset.update(
            subject="", heading="", intro="", footer="", updated_at=timezone.now(),
            updated_by=request.user,
        )  # fmt: skip
        self.message_user(request, f"Default wording restored for {count} e-mail(s).")

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_at = timezone.now()
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_preview" in request.POST and object_id:
            return self._preview_view(request, object_id, form_url)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _preview_view(self, request, object_id, form_url):
        """The change form again, unsaved, with a preview of what was typed."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        form = self.get_form(request, obj, change=True)(request.POST, instance=obj)
        form.is_valid()
        fieldsets = self.get_fieldsets(request, obj)
        admin_form = helpers.AdminForm(
            form, list(fieldsets), {}, self.get_readonly_fields(request, obj), model_admin=self
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change {self.opts.verbose_name}",
            "subtitle": str(obj),
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            "previewing": True,
        }
        return self.render_change_form(request, context, change=True, obj=obj, form_url=form_url)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            form = context["adminform"].form
            if form.is_bound and not form.errors:
                parts = {part: form.cleaned_data[part] for part in wording.PARTS}
                context["preview_note"] = "Not saved yet: this is what you typed."
            else:
                # The form has written what was typed into ``obj``: read the row.
                saved = EmailTemplate.objects.get(pk=obj.pk)
                parts = {part: getattr(saved, part) for part in wording.PARTS}
                context["preview_note"] = (
                    "Fix the errors above to see your changes; this is the saved wording."
                    if form.is_bound
                    else "The wording as saved, on made-up data."
                )
            subject, text, document = delivery.preview(obj.kind, parts)
            context["preview"] = {"subject": subject, "text": text, "html": document}
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if obj is not None:
            # The e-mail's inlined styles, allowed by their hashes in this response
            # only (the preview frame inherits the page's policy).
            response._csp_update = {
                "style-src": ["'unsafe-hashes'", *_style_hashes(context["preview"]["html"])]
            }
        return response
