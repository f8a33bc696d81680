"""Comment endpoints.

Reading (thread pages, fragments for "Load more comments") is public and
cacheable. Writing (post, reply, edit, delete, vote) is POST-only, CSRF
protected and rate-limited per client; each action answers JSON to the page's
script and a redirect or a plain form page to browsers without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from articles.models import Article, PassageQuestion
from newsroom.clientip import client_ip
from newsroom.http import mark_private, mark_public
from newsroom.session import register

from . import feedback, notifications, services
from .forms import CommentForm, EditForm, ReportForm, new_timestamp
from .identity import (
    browser_hash,
    client_fingerprint,
    existing_browser_hash,
    remember_browser,
    voter_key,
)
from .models import Comment, Report, Vote
from .render import render_items
from .threads import (
    clean_sort,
    standalone,
    status_for_author,
    thread_page,
    threads_of_passage,
    whole_thread,
)

FIELD_FOR_CODE = {
    "nul": "body",
    "encoding": "body",
    "empty": "body",
    "too_long": "body",
    "email": "email",
}


def _ip_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _rate_limited(request: HttpRequest, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=group, key=_ip_key, rate=rate, increment=True)


def _limited(
    request: HttpRequest,
    group: str,
    *,
    client_rate: str | None,
    address: str = "",
    address_rate: str | None = None,
) -> bool:
    """Count this request per client and per e-mail address; True if either is over."""
    over = bool(client_rate) and _rate_limited(request, group, client_rate)
    if address and address_rate:
        over |= is_ratelimited(
            request,
            group=f"{group}.address",
            key=lambda _group, _req: address,
            rate=address_rate,
            increment=True,
        )
    return over


def _subscribe_limited(
    request: HttpRequest, email: str, *, group: str = "comments.subscribe"
) -> bool:
    """The "Follow this discussion" limits, counted in the same buckets: choosing
    "Notify me of" when commenting asks for the same e-mails to the same address.
    Asking for a manage link has the same limits, in buckets of its own."""
    return _limited(
        request,
        group,
        client_rate=settings.NEWSROOM_SUBSCRIBE_RATE,
        address=notifications.address_digest(email) if email.strip() else "",
        address_rate=settings.NEWSROOM_SUBSCRIBE_ADDRESS_RATE,
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _public_article(pk: Any) -> Article | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Article.objects.published().select_related("section").filter(pk=pk).first()


def _form_page(request, *, form, article, parent=None, status=200, note=""):
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        # The timestamp is renewed so the reader can post again at once.
        form.data["ts"] = new_timestamp()
    data = form.data if form.is_bound else form.initial
    question = None
    if data.get("question"):
        question = PassageQuestion.objects.filter(
            pk=_int_or_none(data.get("question")), article=article
        ).first()
    response = render(
        request,
        "comments/comment_form_page.html",
        {
            "form": form,
            "article": article,
            "parent": parent,
            "ts": new_timestamp(),
            "note": note,
            "question": question,
            "passage": question.exact if question else (data.get("anchor_exact") or ""),
        },
        status=status,
    )
    return mark_private(response)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _errors_json(form: CommentForm, status: int = 400) -> JsonResponse:
    errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
    return mark_private(
        JsonResponse({"ok": False, "errors": errors, "ts": new_timestamp()}, status=status)
    )


@require_http_methods(["GET", "POST"])
def post_comment(request: HttpRequest) -> HttpResponse:
    """Post a comment or reply (POST); the plain form page for it (GET, no JavaScript)."""
    if request.method == "GET":
        article = _public_article(request.GET.get("article"))
        if article is None:
            raise Http404("No such article")
        parent = None
        if request.GET.get("parent"):
            parent = Comment.objects.filter(
                pk=request.GET.get("parent"), article=article, status=Comment.Status.APPROVED
            ).first()
        question = None
        if request.GET.get("question") and not parent:
            question = (
                PassageQuestion.objects.filter(
                    pk=_int_or_none(request.GET.get("question")), article=article
                )
                .exclude(is_orphaned=True)
                .first()
            )
        form = CommentForm(
            initial={
                "article": article.pk,
                "parent": parent.pk if parent else None,
                "question": question.pk if question else None,
            },
            user=request.user,
        )
        return _form_page(request, form=form, article=article, parent=parent)

    form = CommentForm(request.POST, user=request.user)
    article = _public_article(request.POST.get("article"))
    if article is None:
        form.is_valid()
        form.add_error(None, "This article is not available for comments.")
        if _wants_json(request):
            return _errors_json(form, status=404)
        raise Http404("No such article")
    if _rate_limited(request, "comments.post", settings.NEWSROOM_COMMENT_POST_RATE):
        form.is_valid()
        form.add_error(
            None, "You are posting very fast. Wait a minute, then post again; your text is kept."
        )
        if _wants_json(request):
            return _errors_json(form, status=429)
        return _form_page(request, form=form, article=article, status=429)
    comment = None
    notify, limited = "", False
    if form.is_valid():
        user = request.user if request.user.is_authenticated else None
        notify = form.cleaned_data.get("notify", "")
        # Over the limits the comment is still posted; only the subscription is not made.
        limited = bool(notify) and _subscribe_limited(
            request, user.email if user else form.cleaned_data.get("email", "")
        )
        try:
            comment = services.comment_post(
                article=article,
                body=form.cleaned_data["body"],
                user=user,
                author_name=form.cleaned_data.get("name", ""),
                author_email=form.cleaned_data.get("email", ""),
                parent_id=form.cleaned_data.get("parent"),
                ip_address=client_ip(request) or None,
                client_hash="" if user else browser_hash(request),
                anchor=form.cleaned_data.get("anchor"),
                question_id=form.cleaned_data.get("question"),
                notify="" if limited else notify,
            )
        except ValidationError as error:
            for message, code in zip(error.messages, _codes(error), strict=False):
                field = FIELD_FOR_CODE.get(code)
                form.add_error(field if field in form.fields else None, message)
    if comment is None and _account_gone(request):
        # Asked for a name and address, a reader who believes they are signed
        # in would not understand why: say what happened instead.
        for name in ("name", "email"):
            if name in form.errors and not str(form.data.get(name, "")).strip():
                del form.errors[name]
        what_now = (
            "Sign in again, or post as a guest with your name and e-mail address."
            if settings.NEWSROOM_COMMENTS_ALLOW_GUESTS
            else "Sign in again to post it."
        )
        form.add_error(None, ACCOUNT_GONE % {"what_now": what_now})
    if comment is None:
        if _wants_json(request):
            return _errors_json(form)
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(pk=form.cleaned_data["parent"], article=article).first()
        return _form_page(request, form=form, article=article, parent=parent, status=400)

    if _wants_json(request):
        shown = status_for_author(comment)
        anchor = feedback.loaded_anchor(comment)
        response = JsonResponse(
            {
                "ok": True,
                "id": comment.pk,
                "parent": comment.parent_id,
                "status": shown,
                "reason": comment.moderation_reason if shown == Comment.Status.REJECTED else "",
                "html": render_items(standalone(comment, for_author=True)),
                "url": comment.get_absolute_url(),
                "anchor": feedback.in_blocks(article, anchor) if anchor else None,
                "question": anchor.question_id if anchor else None,
                "notify": _notify_note(request, comment, notify, limited=limited),
            },
            status=201,
        )
        return remember_browser(request, mark_private(response))
    if limited and comment.status != Comment.Status.REJECTED:
        # Without JavaScript the reader would otherwise never learn it.
        note = _notify_note(request, comment, notify, limited=True)
        page = render(
            request,
            "comments/comment_posted.html",
            {"comment": comment, "article": article, "note": note},
        )
        return remember_browser(request, mark_private(page))
    return remember_browser(request, redirect(comment.get_absolute_url(), permanent=False))


ACCOUNT_GONE = (
    "The account you were signed in with no longer exists, so you are not signed in any "
    "more. %(what_now)s Your comment is kept here."
)


def _account_gone(request: HttpRequest) -> bool:
    """Whether the session still names an account that has been deleted since.

    Django then treats the reader as a guest without a word (the session
    stays), so they would be asked for a name as if nothing had happened.
    """
    if request.user.is_authenticated or SESSION_KEY not in request.session:
        return False
    User = get_user_model()
    try:
        pk = User._meta.pk.to_python(request.session[SESSION_KEY])
    except ValidationError:
        return True
    return not User._default_manager.filter(pk=pk).exists()


NOTIFY_LIMITED = (
    "We did not set up the e-mail notifications you asked for: there have been too many "
    "requests from your connection or for this address. Try again later."
)


def _notify_note(
    request: HttpRequest, comment: Comment, notify: str, *, limited: bool = False
) -> str:
    """What to tell the poster about the "Notify me of" choice (never whether the
    address was subscribed already, unless it is the reader's own verified one)."""
    if not notify:
        return ""
    if comment.status == Comment.Status.REJECTED:
        return "Your comment was not published, so no notifications were set up."
    if limited:
        return NOTIFY_LIMITED
    # Spam gets the same answer as a held comment: it is never announced to its sender.
    user = request.user if request.user.is_authenticated else None
    if notifications.email_is_verified(user, comment.author_email):
        return "We will e-mail you when there is something new."
    return (
        "If this address does not get these notifications yet, we have sent it a link "
        "to confirm them."
    )


def _codes(error: ValidationError) -> list[str]:
    return [e.code or "" for e in error.error_list]


def _owner_hash(request: HttpRequest) -> str:
    return "" if request.user.is_authenticated else existing_browser_hash(request)


@require_GET
def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """Where comment N lives: its place in the article, or (for its author) its pending state."""
    comment = get_object_or_404(Comment.objects.select_related("article__section"), pk=pk)
    article = comment.article
    if not article.is_public:
        raise Http404("No such comment")
    if comment.status == Comment.Status.APPROVED:
        position = (
            Comment.objects.filter(thread_id=comment.thread_id, path__lt=comment.path)
            .visible()
            .count()
        )
        if comment.depth and position > settings.NEWSROOM_COMMENT_REPLIES_SHOWN:
            url = reverse("comments:thread", args=[comment.thread_id])
        else:
            root_created = Comment.objects.filter(pk=comment.thread_id).values_list(
                "created_at", flat=True
            )[0]
            before = (
                Comment.objects.filter(article=article, depth=0, created_at__lt=root_created)
                .visible()
                .count()
            )
            page = before // settings.NEWSROOM_COMMENT_THREADS_PER_PAGE + 1
            query = "?sort=oldest" + (f"&page={page}" if page > 1 else "")
            url = article.get_absolute_url() + query
        return mark_private(redirect(f"{url}#comment-{comment.pk}"))
    user = request.user if request.user.is_authenticated else None
    own = services.is_owner(comment, user=user, client_hash=_owner_hash(request))
    if own and status_for_author(comment) == Comment.Status.PENDING:
        return mark_private(
            render(
                request,
                "comments/comment_pending.html",
                {
                    "comment": comment,
                    "article": article,
                    "comments": standalone(comment, for_author=True),
                },
            )
        )
    if own and comment.status == Comment.Status.REJECTED:
        # Its author learns why; spam is never announced to whoever sent it.
        return mark_private(
            render(
                request,
                "comments/comment_declined.html",
                {
                    "comment": comment,
                    "article": article,
                    "comments": standalone(comment, for_author=True),
                },
            )
        )
    raise Http404("No such comment")


@require_GET
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    """One whole thread (the "show N more replies" target), public and cacheable."""
    root = get_object_or_404(
        Comment.objects.select_related("article__section").filter(depth=0), pk=pk
    )
    if not root.article.is_public or not (
        root.status == Comment.Status.APPROVED or root.descendant_count
    ):
        raise Http404("No such thread")
    comments = whole_thread(root)
    if request.GET.get("fragment"):
        return mark_public(HttpResponse(render_items(comments)))
    return mark_public(
        render(
            request,
            "comments/thread_detail.html",
            {"article": root.article, "root": root, "comments": comments},
        )
    )


@require_GET
def article_page(request: HttpRequest, article_pk: int) -> HttpResponse:
    """A further page of an article's threads, as a fragment ("Load more comments")."""
    article = _public_article(article_pk)
    if article is None or not article.comments_enabled:
        raise Http404("No such article")
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    threads = thread_page(
        article, sort=clean_sort(request.GET.get("sort")), page=page, view=request.GET.get("view")
    )
    html = render_to_string(
        "comments/includes/thread_page.html", {"article": article, "threads": threads}
    )
    return mark_public(HttpResponse(html))


MAX_PASSAGE_THREADS = 20


@require_GET
def passage_threads(request: HttpRequest, article_pk: int) -> HttpResponse:
    """The whole threads of one highlighted passage (``?ids=3,9``), as a list fragment.

    Public and cacheable like the page: the page script shows them beside the
    passage when a reader activates its highlight.
    """
    article = _public_article(article_pk)
    if article is None or not article.comments_enabled:
        raise Http404("No such article")
    ids = [_int_or_none(part) for part in request.GET.get("ids", "").split(",")]
    ids = sorted({pk for pk in ids if pk})[:MAX_PASSAGE_THREADS]
    comments = threads_of_passage(article, ids)
    return mark_public(HttpResponse(render_items(comments)))


def _own_comment(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("article__section"), pk=pk)
    user = request.user if request.user.is_authenticated else None
    if not services.is_owner(comment, user=user, client_hash=_owner_hash(request)):
        raise Http404("No such comment of yours")
    return comment


def _own_on_article(article_id: int, *, user, client_hash: str):
    """The reader's comments on an article that they can still act on."""
    return (
        Comment.objects.filter(article_id=article_id)
        .exclude(status=Comment.Status.REMOVED)
        .written_by(user=user, client_hash=client_hash)
        # in_reply_to: a held reply too deep to nest shows whom it answers
        # (threads.standalone), read here rather than once per reply.
        .select_related("anchor__question", "in_reply_to")
        .annotate(has_replies=Exists(Comment.objects.replies_to(OuterRef("pk"))))
    )


@require_GET
def own_comments(request: HttpRequest, article_pk: int) -> HttpResponse:
    """This reader's comments on an article, with Edit and Delete (private).

    The article page is the same for everyone, so it can only offer these
    through /session.json and a script; this page is the way without one.
    """
    article = _public_article(article_pk)
    if article is None or not article.comments_enabled:
        raise Http404("No such article")
    user = request.user if request.user.is_authenticated else None
    owner_hash = _owner_hash(request)
    now = timezone.now()
    comments = list(
        _own_on_article(article.pk, user=user, client_hash=owner_hash).order_by("created_at")[:200]
    )
    for comment in comments:
        comment.shown_status = status_for_author(comment)
        comment.editable = services.can_edit(
            comment, user=user, client_hash=owner_hash, now=now, has_replies=comment.has_replies
        )
        comment.edit_deadline = services.edit_deadline(comment)
        anchor = feedback.loaded_anchor(comment)
        comment.passage = anchor.exact if anchor else ""
    return mark_private(
        render(
            request,
            "comments/comment_own_list.html",
            {"article": article, "comments": comments, "signed_in": user is not None},
        )
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    user = request.user if request.user.is_authenticated else None
    form = EditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST":
        if _rate_limited(request, "comments.post", settings.NEWSROOM_COMMENT_POST_RATE):
            form.is_valid()
            form.add_error(None, "You are posting very fast. Wait a minute, then try again.")
        elif form.is_valid():
            try:
                comment = services.comment_edit(
                    comment=comment,
                    body=form.cleaned_data["body"],
                    user=user,
                    client_hash=_owner_hash(request),
                    ip_address=client_ip(request) or None,
                )
            except ValidationError as error:
                for message, code in zip(error.messages, _codes(error), strict=False):
                    form.add_error(FIELD_FOR_CODE.get(code), message)
            else:
                if _wants_json(request):
                    return mark_private(
                        JsonResponse(
                            {
                                "ok": True,
                                "id": comment.pk,
                                "status": status_for_author(comment),
                                "html": render_items(standalone(comment, for_author=True)),
                            }
                        )
                    )
                return mark_private(redirect(comment.get_absolute_url()))
        if _wants_json(request):
            return _errors_json(form)
    editable = services.can_edit(comment, user=user, client_hash=_owner_hash(request))
    status = 400 if form.is_bound else 200
    return mark_private(
        render(
            request,
            "comments/comment_edit.html",
            {
                "comment": comment,
                "article": comment.article,
                "form": form,
                "editable": editable,
                "deadline": services.edit_deadline(comment),
            },
            status=status,
        )
    )


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST":
        services.comment_delete_own(comment=comment, user=user, client_hash=_owner_hash(request))
        if _wants_json(request):
            return mark_private(JsonResponse({"ok": True, "id": comment.pk}))
        return mark_private(redirect(comment.article.get_absolute_url() + "#comments"))
    return mark_private(
        render(
            request,
            "comments/comment_delete.html",
            {"comment": comment, "article": comment.article},
        )
    )


@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    if _rate_limited(request, "comments.vote", settings.NEWSROOM_COMMENT_VOTE_RATE):
        message = "You are voting very fast. Wait a minute, then try again."
        if _wants_json(request):
            return mark_private(JsonResponse({"ok": False, "error": message}, status=429))
        return mark_private(HttpResponse(message, status=429, content_type="text/plain"))
    try:
        value = int(request.POST.get("value", ""))
        comment = services.comment_vote(
            comment=comment,
            voter=voter_key(request),
            client=client_fingerprint(request),
            value=value,
            user=request.user if request.user.is_authenticated else None,
            ip_address=client_ip(request) or None,
        )
    except (ValueError, ValidationError) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else "Vote up or down."
        if _wants_json(request):
            return mark_private(JsonResponse({"ok": False, "error": message}, status=400))
        return mark_private(HttpResponse(message, status=400, content_type="text/plain"))
    if _wants_json(request):
        response = JsonResponse(
            {
                "ok": True,
                "id": comment.pk,
                "up": comment.upvotes,
                "down": comment.downvotes,
                "score": comment.score,
                "mine": value,
            }
        )
        return remember_browser(request, mark_private(response))
    return remember_browser(request, mark_private(redirect(comment.get_absolute_url())))


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a published comment to the moderators (POST); the plain form for it (GET)."""
    comment = get_object_or_404(
        Comment.objects.select_related("article__section"), pk=pk, status=Comment.Status.APPROVED
    )
    if not comment.article.is_public:
        raise Http404("No such comment")
    form = ReportForm(request.POST or None)
    status, done = 200, False
    if request.method == "POST":
        if _rate_limited(request, "comments.report", settings.NEWSROOM_COMMENT_REPORT_RATE):
            form.is_valid()
            form.add_error(
                None, "You are sending reports very fast. Wait a minute, then try again."
            )
            status = 429
        elif form.is_valid():
            user = request.user if request.user.is_authenticated else None
            try:
                services.comment_report(
                    comment=comment,
                    reporter=voter_key(request),
                    client=client_fingerprint(request),
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    user=user,
                    client_hash=_owner_hash(request),
                    ip_address=client_ip(request) or None,
                )
            except ValidationError as error:
                form.add_error(None, error.messages[0])
                status = 400
            else:
                done = True
        else:
            status = 400
        if _wants_json(request):
            if done:
                payload = {
                    "ok": True,
                    "id": comment.pk,
                    "message": "Thank you. The moderators will look at this comment.",
                }
            else:
                messages = [str(e) for errors in form.errors.values() for e in errors]
                payload = {"ok": False, "id": comment.pk, "error": " ".join(messages)}
            return remember_browser(request, mark_private(JsonResponse(payload, status=status)))
    response = render(
        request,
        "comments/comment_report.html",
        {"comment": comment, "article": comment.article, "form": form, "done": done},
        status=status,
    )
    return remember_browser(request, mark_private(response))


@register("comments")
def session_comments(request: HttpRequest) -> dict[str, Any] | None:
    """This reader's side of an article's discussion (for /session.json?article=N)."""
    try:
        article_id = int(request.GET.get("article", ""))
    except ValueError:
        return None
    user = request.user if request.user.is_authenticated else None
    owner_hash = "" if user else existing_browser_hash(request)
    state: dict[str, Any] = {
        "ts": new_timestamp(),
        "name": services.author_display_name(user) if user else None,
        "guests_allowed": settings.NEWSROOM_COMMENTS_ALLOW_GUESTS,
        "pending": [],
        "declined": [],
        "votes": {},
        "reported": [],
        "editable": [],
        "deletable": [],
        "blocked": None,
    }
    ban = services.bans.find(
        user=user, email=user.email if user else "", ip_address=client_ip(request) or None
    )
    if ban is not None:
        state["blocked"] = ban.message
    if user is None and not owner_hash:
        return state
    now = timezone.now()
    pending = []
    own = _own_on_article(article_id, user=user, client_hash=owner_hash)
    for comment in own.order_by("path")[:200]:
        if status_for_author(comment) == Comment.Status.PENDING:
            pending.append(comment)
        elif comment.status == Comment.Status.REJECTED:
            state["declined"].append(
                {
                    "id": comment.pk,
                    "parent": comment.parent_id,
                    "reason": comment.moderation_reason,
                    "html": render_items(standalone(comment, for_author=True)),
                }
            )
        if comment.status in (Comment.Status.APPROVED, Comment.Status.PENDING):
            state["deletable"].append(comment.pk)
            if services.can_edit(
                comment, user=user, client_hash=owner_hash, now=now, has_replies=comment.has_replies
            ):
                state["editable"].append(
                    {"id": comment.pk, "until": services.edit_deadline(comment).isoformat()}
                )
    article = None
    for comment in pending:
        anchor = feedback.loaded_anchor(comment)
        if anchor is not None and article is None:
            article = Article.objects.only("body").get(pk=article_id)
        state["pending"].append(
            {
                "id": comment.pk,
                "parent": comment.parent_id,
                "html": render_items(standalone(comment, for_author=True)),
                # Own pending feedback is highlighted for its author only.
                "anchor": feedback.in_blocks(article, anchor) if anchor and article else None,
            }
        )
    voter = f"u:{user.pk}" if user else f"g:{owner_hash}"
    state["votes"] = dict(
        Vote.objects.filter(voter=voter, comment__article_id=article_id).values_list(
            "comment_id", "value"
        )
    )
    state["reported"] = list(
        Report.objects.filter(reporter=voter, comment__article_id=article_id).values_list(
            "comment_id", flat=True
        )[:500]
    )
    return state
