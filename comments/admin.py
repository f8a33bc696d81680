"""Comments in the Django admin. Actions call the same services as the public views."""

from __future__ import annotations

from django.contrib import admin, messages

from . import services
from .models import Comment, CommentRevision, Vote


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
    list_display = ["short_body", "author_name", "article", "status", "created_at", "score"]
    list_filter = ["status", "created_at", "author_role"]
    search_fields = ["body", "author_name", "author_email"]
    list_select_related = ["article"]
    raw_id_fields = ["article", "parent", "thread", "in_reply_to", "user"]
    readonly_fields = [
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
    ]
    date_hierarchy = "created_at"
    inlines = [CommentRevisionInline]
    actions = ["approve", "reject", "mark_spam", "remove"]
    list_per_page = 100

    @admin.display(description="comment")
    def short_body(self, obj: Comment) -> str:
        return obj.body[:80]

    def _apply(self, request, queryset, service, label: str) -> None:
        count = 0
        for comment in queryset:
            service(comment=comment, reason=f"{label} by {request.user.get_username()}")
            count += 1
        self.message_user(request, f"{label}: {count} comment(s).", messages.SUCCESS)

    @admin.action(description="Approve", permissions=["change"])
    def approve(self, request, queryset):
        self._apply(request, queryset, services.comment_approve, "Approved")

    @admin.action(description="Reject", permissions=["change"])
    def reject(self, request, queryset):
        self._apply(request, queryset, services.comment_reject, "Rejected")

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._apply(request, queryset, services.comment_mark_spam, "Marked as spam")

    @admin.action(description="Remove", permissions=["change"])
    def remove(self, request, queryset):
        self._apply(request, queryset, services.comment_remove, "Removed")


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["comment", "value", "created_at"]
    raw_id_fields = ["comment"]
