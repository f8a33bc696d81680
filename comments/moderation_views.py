"""The moderators' workspace: queues, one comment's record, bans, word rules and the log.

Every page needs a staff account with the ``comments.moderate_comments``
permission (the Moderators group has it; editors do not unless they are also
moderators) and is private (never stored by a cache). Every action is a POST that calls the
same services as the public views and the admin, which write the moderation
log; then the browser is sent back where it was (post/redirect/get), so
everything works without JavaScript. ``static/js/moderation.js`` adds
keyboard shortcuts and select-all.
"""

from __future__ import annotations

from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article, Section
from newsroom.http import mark_private

from . import queues, services
from .forms import BanForm, QueueFilterForm, WordRuleForm
from .models import Ban, Comment, CommentRevision, ModerationAction, WordRule
from .render import render_queue_items

MODERATE = "comments.moderate_comments"

#: What each action is called in the messages after it ran.
DONE = {
    "approve": "Approved",
    "reject": "Rejected",
    "spam": "Filed as spam",
    "remove": "Removed",
    "restore": "Restored",
    "dismiss": "Dismissed the reports on",
    "pin": "Pinned",
    "unpin": "Unpinned",
}
#: The bulk actions offered on each queue, in button order. Pinning is for
#: published comments; closing acts on each ticked comment's article, once.
BULK_ACTIONS = {
    "pending": ["approve", "reject", "spam", "remove", "close"],
    "reported": ["dismiss", "reject", "spam", "remove", "close"],
    "spam": ["approve", "reject", "remove", "close"],
    "approved": ["reject", "spam", "remove", "pin", "close"],
    "rejected": ["approve", "spam", "remove"],
    "removed": ["restore"],
}
BUTTON_LABELS = {
    "approve": "Approve ticked",
    "reject": "Reject ticked",
    "spam": "Spam ticked",
    "remove": "Remove ticked",
    "restore": "Restore ticked",
    "dismiss": "Dismiss reports on ticked",
    "pin": "Pin ticked",
    "close": "Close comments on their articles",
}


def moderator_required(*permissions: str):
    """Sign-in and the given permissions (the moderation one by default); private answer."""
    needed = permissions or (MODERATE,)

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return mark_private(redirect_to_login(request.get_full_path()))
            # A staff area: staff sessions end on time and need two-factor
            # sign-in (accounts.middleware), so the permission alone is not enough.
            if not (request.user.is_staff and request.user.has_perms((MODERATE, *needed))):
                raise PermissionDenied("Only moderators can use the moderation pages.")
            return mark_private(view(request, *args, **kwargs))

        return wrapper

    return decorator


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    # The site's one rule for next= (accounts/adapter.py): our own hosts only, and
    # nothing a browser might read differently from Python (look-alike slashes…).
    if not get_adapter(request).is_safe_url(target):
        target = default
    return redirect(target)


def _filters(
    request: HttpRequest, sections: list[Section]
) -> tuple[QueueFilterForm, queues.Filters]:
    form = QueueFilterForm(request.GET or None, sections=sections)
    filters = queues.Filters()
    if not form.is_bound or not form.is_valid():
        return form, filters
    data = form.cleaned_data
    filters.q = data["q"].strip()
    filters.since, filters.until = data["since"], data["until"]
    filters.oldest_first = data["order"] == "oldest"
    if data["section"]:
        filters.section = next((s for s in sections if s.slug == data["section"]), None)
    if data["article"]:
        filters.article = (
            Article.objects.select_related("section").filter(pk=data["article"]).first()
        )
        if filters.article is None:
            form.add_error("article", "There is no article with this id.")
    author = data["author"].strip()
    if author:
        user_id, email, error = queues.resolve_author(author)
        filters.author = author
        filters.author_user_id, filters.author_email = user_id, email
        if error:
            form.add_error("author", error)
            # An unknown author matches nothing rather than everything.
            filters.author_user_id = -1
    return form, filters


@require_GET
@moderator_required()
def queue(request: HttpRequest, queue: str = "pending") -> HttpResponse:
    if queue not in queues.QUEUE_LABELS:
        raise Http404("No such queue")
    sections = list(Section.objects.only("pk", "name", "slug"))
    form, filters = _filters(request, sections)
    counts = queues.counts(filters)
    page = queues.page(queue, filters, cursor=request.GET.get("after", ""))
    kept = {
        key: value
        for key, value in request.GET.items()
        if key in QueueFilterForm.base_fields and value
    }
    query = urlencode(kept)
    tabs = [
        {
            "count": count,
            "url": reverse("moderation:queue", args=[count.queue]) + (f"?{query}" if query else ""),
            "current": count.queue == queue,
        }
        for count in counts
    ]
    next_url = ""
    if page.next_cursor:
        next_url = "?" + urlencode({**kept, "after": page.next_cursor})
    select_all_url = "?" + urlencode(
        {
            **kept,
            **({"after": request.GET["after"]} if request.GET.get("after") else {}),
            "all": "1",
        }
    )
    return render(
        request,
        "comments/moderation/queue.html",
        {
            "queue": queue,
            "queue_label": queues.QUEUE_LABELS[queue],
            "tabs": tabs,
            "page": page,
            "comments": page.comments,
            "form": form,
            "filters": filters,
            "next_url": next_url,
            "first_url": "?" + query if request.GET.get("after") else "",
            "rows": render_queue_items(
                page.comments, queue=queue, select_all=request.GET.get("all") == "1"
            ),
            "select_all_url": select_all_url,
            "bulk_actions": [(a, BUTTON_LABELS[a]) for a in BULK_ACTIONS[queue]],
            "here": request.get_full_path(),
            "nav": "queues",
        },
    )


@require_POST
@moderator_required()
def act(request: HttpRequest) -> HttpResponse:
    """Apply an action to one comment (``do=approve:42``) or to the ticked ones (``bulk``)."""
    default = reverse("moderation:queue", args=["pending"])
    if request.POST.get("do"):
        action, _, raw_id = request.POST["do"].partition(":")
        ids = [int(raw_id)] if raw_id.isdigit() else []
        reason = request.POST.get(f"reason-{raw_id}", "") or request.POST.get("reason", "")
    else:
        action = request.POST.get("bulk", "")
        ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
        reason = request.POST.get("reason", "")
    reason = reason.replace("\x00", "").strip()[:255]
    if not ids:
        messages.warning(request, "Tick at least one comment first.")
        return _back(request, default)
    if action in ("close", "open"):
        # Every ticked comment's article, each once (not only the first one's).
        result = services.comments_articles_set_open(
            comment_ids=ids, is_open=action == "open", moderator=request.user, reason=reason
        )
        titles = dict(
            Article.objects.filter(
                pk__in=[*result.done, *(pk for pk, _ in result.refused)]
            ).values_list("pk", "title")
        )
        if result.done:
            state = "open again" if action == "open" else "closed"
            names = ", ".join(f"“{titles[pk]}”" for pk in result.done)
            messages.success(request, f"Comments on {names} are {state}.")
        for pk, message in result.refused:
            messages.error(request, f"“{titles[pk]}”: {message}")
        return _back(request, default)
    if action not in DONE:
        messages.error(request, "Unknown action.")
        return _back(request, default)
    result = services.comments_moderate(
        comment_ids=ids, action=action, moderator=request.user, reason=reason
    )
    if result.done:
        count = len(result.done)
        noun = "comment" if count == 1 else "comments"
        messages.success(request, f"{DONE[action]} {count} {noun}.")
    for pk, message in result.refused:
        messages.error(request, f"Comment {pk}: {message}")
    return _back(request, default)


@require_GET
@moderator_required()
def comment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One comment's full record: the comment, its reports, earlier texts and log entries."""
    comment = get_object_or_404(
        Comment.objects.select_related(
            "article__section", "parent", "in_reply_to", "user", "anchor"
        ),
        pk=pk,
    )
    queues.annotate([comment])
    return render(
        request,
        "comments/moderation/comment_detail.html",
        {
            "comment": comment,
            "rows": render_queue_items([comment], queue=comment.status),
            "log": ModerationAction.objects.filter(comment_id=comment.pk)[:100],
            "revisions": CommentRevision.objects.filter(comment=comment),
            "reports": comment.reports.order_by("-created_at")[:100],
            "here": request.get_full_path(),
            "queue": None,
            "nav": "queues",
        },
    )


# --- Bans ------------------------------------------------------------------------------


@require_GET
@moderator_required("comments.view_ban")
def ban_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    found = Ban.objects.select_related("user", "created_by", "lifted_by")
    if not show_all:
        found = found.active()
    return render(
        request,
        "comments/moderation/bans.html",
        {"bans": found[:500], "show_all": show_all, "now": timezone.now(), "nav": "bans"},
    )


@moderator_required("comments.add_ban")
def ban_new(request: HttpRequest) -> HttpResponse:
    comment = None
    source = request.POST.get("comment") or request.GET.get("comment")
    if source and str(source).isdigit():
        comment = Comment.objects.select_related("user", "article").filter(pk=source).first()
    if request.method == "POST":
        form = BanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            days = int(data["duration"]) if data["duration"] else None
            try:
                ban = services.ban_add(
                    kind=data["kind"],
                    moderator=request.user,
                    user=data.get("user"),
                    email=data.get("email", ""),
                    network=data.get("network", ""),
                    expires_at=timezone.now() + timedelta(days=days) if days else None,
                    reason=data["reason"],
                    spam_comment=comment if comment and data["also_spam"] else None,
                )
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                what = "Suspended" if ban.expires_at else "Banned"
                messages.success(request, f"{what}: {ban.get_kind_display().lower()} {ban.target}.")
                return redirect("moderation:bans")
        status = 400
    else:
        initial = {"duration": "7", "also_spam": True}
        if comment is not None:
            initial.update(
                comment=comment.pk,
                kind="account" if comment.user_id else "email",
                username=comment.user.get_username() if comment.user_id else "",
                email=comment.author_email,
                network=comment.ip_address or "",
            )
        form = BanForm(initial=initial)
        status = 200
    network_suggestion = ""
    if comment is not None and comment.ip_address:
        from .bans import parse_network

        prefix = 24 if ":" not in comment.ip_address else 64
        network_suggestion = str(parse_network(f"{comment.ip_address}/{prefix}"))
    return render(
        request,
        "comments/moderation/ban_form.html",
        {
            "form": form,
            "comment": comment,
            "network_suggestion": network_suggestion,
            "nav": "bans",
        },
        status=status,
    )


@require_POST
@moderator_required("comments.change_ban")
def ban_lift(request: HttpRequest, pk: int) -> HttpResponse:
    ban = get_object_or_404(Ban.objects.select_related("user"), pk=pk)
    services.ban_lift(ban=ban, moderator=request.user)
    messages.success(request, f"Lifted the ban on {ban.target}.")
    return _back(request, reverse("moderation:bans"))


# --- Rules -----------------------------------------------------------------------------


@moderator_required("comments.view_wordrule")
def rules(request: HttpRequest) -> HttpResponse:
    form = WordRuleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("comments.add_wordrule"):
            raise PermissionDenied("You cannot add word rules.")
        if form.is_valid():
            rule = services.word_rule_add(moderator=request.user, **form.cleaned_data)
            messages.success(request, f"Added “{rule.phrase}” ({rule.get_kind_display()}).")
            return redirect("moderation:rules")
        status = 400
    return render(
        request,
        "comments/moderation/rules.html",
        {
            "form": form,
            "rules": WordRule.objects.all(),
            "sections": Section.objects.all(),
            "modes": [
                ("", "Site default"),
                ("none", "None"),
                ("first_time", "First-time commenters"),
                ("all", "Every comment"),
            ],
            "site_mode": settings.NEWSROOM_COMMENT_PREMODERATION,
            "max_links": settings.NEWSROOM_COMMENT_MAX_LINKS,
            "spam_hold": settings.NEWSROOM_SPAM_HOLD_SCORE,
            "spam_score": settings.NEWSROOM_SPAM_SCORE,
            "reports_to_hold": settings.NEWSROOM_COMMENT_REPORTS_TO_HOLD,
            "nav": "rules",
        },
        status=status,
    )


@require_POST
@moderator_required("comments.delete_wordrule")
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(WordRule, pk=pk)
    services.word_rule_delete(rule=rule, moderator=request.user)
    messages.success(request, f"Deleted “{rule.phrase}”.")
    return redirect("moderation:rules")


@require_POST
@moderator_required()
def section_premoderation(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_object_or_404(Section, pk=pk)
    try:
        services.section_set_premoderation(
            section=section, mode=request.POST.get("mode", ""), moderator=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Pre-moderation for {section.name} saved.")
    return redirect("moderation:rules")


# --- The log -----------------------------------------------------------------------


@require_GET
@moderator_required("comments.view_moderationaction")
def log(request: HttpRequest) -> HttpResponse:
    """The moderation log, newest first, 100 entries a page (keyset by id)."""
    entries = ModerationAction.objects.select_related("comment", "article__section").order_by("-pk")
    action = request.GET.get("action", "")
    if action in ModerationAction.Action.values:
        entries = entries.filter(action=action)
    moderator = request.GET.get("moderator", "").strip()
    if moderator:
        entries = entries.filter(moderator_name__iexact=moderator)
    comment = request.GET.get("comment", "")
    if comment.isdigit():
        entries = entries.filter(comment_id=int(comment))
    before = request.GET.get("before", "")
    if before.isdigit():
        entries = entries.filter(pk__lt=int(before))
    rows = list(entries[:101])
    kept = {k: v for k, v in request.GET.items() if k in ("action", "moderator", "comment") and v}
    next_url = ""
    if len(rows) > 100:
        next_url = "?" + urlencode({**kept, "before": rows[99].pk})
    return render(
        request,
        "comments/moderation/log.html",
        {
            "entries": rows[:100],
            "next_url": next_url,
            "actions": ModerationAction.Action.choices,
            "action": action,
            "moderator": moderator,
            "comment_id": comment if comment.isdigit() else "",
            "nav": "log",
        },
    )
