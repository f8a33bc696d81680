"""Pages for following discussions: subscribe, confirm, manage, mute a thread, unsubscribe.

Every page here is private (``no-store``) and sends no Referer to other
sites, since its address may carry a token. Forms are CSRF-protected, except the one-click
unsubscribe endpoint (see ``unsubscribe``). Whoever asks, the answers never
depend on whether an address is subscribed: a stranger learns nothing by
trying addresses, and an address that never asked gets at most one
confirmation request, within the per-address limits.

Rate limits (django-ratelimit, ``NEWSROOM_SUBSCRIBE_*`` and
``NEWSROOM_NOTIFY_LINK_*``) count per client address and per e-mail address
(keyed by a keyed digest of it, never the address itself); the database cap
in ``notifications._queue_for_address`` holds even when the cache is down.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from articles.models import Article
from newsroom.http import mark_private

from . import notifications
from .forms import DeliveryForm, ManageLinkForm, SubscribeForm
from .models import Comment, OutboxMessage, Subscriber, Subscription, ThreadMute
from .views import _limited, _public_article, _subscribe_limited

TOO_MANY = (
    "There have been too many requests from your connection or for this address. "
    "Wait a while, then try again."
)


def _private(response: HttpResponse) -> HttpResponse:
    # Tokens in these addresses never leave the site in a Referer header.
    # ("no-referrer" would also blank the Origin of our own form posts, which
    # Django's CSRF check then refuses.)
    response["Referrer-Policy"] = "same-origin"
    return mark_private(response)


def _page(request, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return _private(render(request, f"comments/{template}.html", context, status=status))


def _open_article(pk: Any) -> Article | None:
    article = _public_article(pk)
    return article if article is not None and article.comments_enabled else None


def _user(request: HttpRequest):
    return request.user if request.user.is_authenticated else None


def _manage_url(subscriber: Subscriber) -> str:
    return reverse("comments:subscriptions_manage", args=[notifications.manage_token(subscriber)])


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """Follow an article's discussion without commenting (the form under the comments)."""
    source = request.POST if request.method == "POST" else request.GET
    article = _open_article(source.get("article"))
    if article is None:
        raise Http404("No such article")
    if request.method == "GET":
        form = SubscribeForm(initial={"article": article.pk})
        return _page(request, "subscribe_form", {"form": form, "article": article})
    form = SubscribeForm(request.POST)
    email = request.POST.get("email", "")
    if _subscribe_limited(request, email):
        form.is_valid()
        form.add_error(None, TOO_MANY)
        return _page(request, "subscribe_form", {"form": form, "article": article}, status=429)
    if form.is_valid():
        try:
            notifications.subscribe(
                email=form.cleaned_data["email"], article=article, user=_user(request)
            )
        except ValidationError as error:
            form.add_error("email" if error.code == "email" else None, error.messages)
        else:
            # Active at once only for a signed-in reader's own verified address;
            # everyone else gets the same answer, subscribed or not.
            immediate = notifications.email_is_verified(_user(request), form.cleaned_data["email"])
            return _page(
                request, "subscription_requested", {"article": article, "immediate": immediate}
            )
    return _page(request, "subscribe_form", {"form": form, "article": article}, status=400)


@require_http_methods(["GET", "POST"])
def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation e-mail. GET shows a button: link scanners never confirm."""
    subscription = notifications.read_confirm_token(token)
    if subscription is None:
        return _page(request, "subscription_link_invalid", {"kind": "confirm"}, status=400)
    if request.method == "POST":
        if _limited(
            request,
            "comments.link",
            client_rate=settings.NEWSROOM_NOTIFY_LINK_RATE,
            address=notifications.address_digest(subscription.subscriber.email),
            address_rate=settings.NEWSROOM_NOTIFY_LINK_ADDRESS_RATE,
        ):
            return _page(request, "subscription_too_many", {"message": TOO_MANY}, status=429)
        subscription = notifications.confirm(subscription=subscription)
    return _page(
        request,
        "subscription_confirm",
        {
            "subscription": subscription,
            "article": subscription.article,
            "done": subscription.status == Subscription.Status.ACTIVE,
            "manage_url": _manage_url(subscription.subscriber),
        },
    )


@require_http_methods(["GET", "POST"])
def subscriptions_home(request: HttpRequest) -> HttpResponse:
    """Ask for a link to manage one's subscriptions (signed-in readers go straight there)."""
    if request.method == "GET":
        user = _user(request)
        subscriber = notifications.subscriber_for_user(user) if user else None
        if subscriber is not None:
            return _private(redirect(_manage_url(subscriber)))
        own = user is not None and notifications.email_is_verified(user, user.email)
        return _page(
            request, "subscriptions_request", {"form": ManageLinkForm(), "follows_nothing": own}
        )
    form = ManageLinkForm(request.POST)
    email = request.POST.get("email", "")
    if _subscribe_limited(request, email, group="comments.manage_link"):
        form.is_valid()
        form.add_error(None, TOO_MANY)
        return _page(request, "subscriptions_request", {"form": form}, status=429)
    if not form.is_valid():
        return _page(request, "subscriptions_request", {"form": form}, status=400)
    notifications.request_manage_link(email=form.cleaned_data["email"])
    return _page(request, "subscriptions_request", {"sent": True})


@require_http_methods(["GET", "POST"])
def subscriptions_manage(request: HttpRequest, token: str) -> HttpResponse:
    """Everything an address follows, how it is sent, and ways to stop it."""
    subscriber = notifications.read_manage_token(token)
    if subscriber is None:
        return _page(
            request,
            "subscription_link_invalid",
            {"kind": "manage", "form": ManageLinkForm()},
            status=400,
        )
    delivery_form = DeliveryForm(initial={"delivery": subscriber.delivery})
    if request.method == "POST":
        if _limited(
            request,
            "comments.link",
            client_rate=settings.NEWSROOM_NOTIFY_LINK_RATE,
            address=notifications.address_digest(subscriber.email),
            address_rate=settings.NEWSROOM_NOTIFY_LINK_ADDRESS_RATE,
        ):
            return _page(request, "subscription_too_many", {"message": TOO_MANY}, status=429)
        action = request.POST.get("action")
        if action == "unsubscribe_all":
            notifications.unsubscribe_all(subscriber=subscriber)
            return _page(request, "subscription_unsubscribe", {"done": True, "everything": True})
        if action == "unsubscribe":
            subscription = (
                subscriber.subscriptions.select_related("article")
                .filter(pk=_int(request.POST.get("subscription")))
                .first()
            )
            if subscription is not None:
                notifications.unsubscribe(subscription=subscription)
                messages.success(
                    request, f"You will no longer get e-mails about “{subscription.article.title}”."
                )
            return _private(redirect(request.path))
        if action in ("mute", "unmute"):
            _mute_action(request, subscriber, action)
            return _private(redirect(request.path))
        if action == "delivery":
            delivery_form = DeliveryForm(request.POST)
            if delivery_form.is_valid():
                notifications.set_delivery(
                    subscriber=subscriber, delivery=delivery_form.cleaned_data["delivery"]
                )
                messages.success(request, "Saved: " + subscriber.get_delivery_display() + ".")
                return _private(redirect(request.path))
    return _page(
        request,
        "subscriptions_manage",
        {
            "subscriber": subscriber,
            "subscriptions": _with_threads(subscriber),
            "delivery_form": delivery_form,
            "digest_hour": settings.NEWSROOM_DIGEST_HOUR,
        },
        status=400 if delivery_form.is_bound else 200,
    )


#: Threads offered for muting on the manage page, per followed discussion.
RECENT_THREADS = 5


def _with_threads(subscriber: Subscriber) -> list[Subscription]:
    """The subscriptions, each with its muted threads and the threads it recently
    heard about (which can be muted from the page): three queries in all."""
    subscriptions = list(subscriber.subscriptions.for_listing())
    following = {s.pk: s for s in subscriptions if s.kind == Subscription.Kind.ARTICLE}
    for subscription in subscriptions:
        subscription.mutes, subscription.recent_threads = [], []
    if not following:
        return subscriptions
    mutes = ThreadMute.objects.filter(subscription_id__in=list(following)).select_related("thread")
    for mute in mutes.order_by("-created_at", "-pk"):
        following[mute.subscription_id].mutes.append(mute)
    heard = OutboxMessage.objects.filter(
        subscriber=subscriber, kind=OutboxMessage.Kind.COMMENT, subscription_id__in=list(following)
    ).values("comment__thread_id")
    threads = (
        Comment.objects.filter(pk__in=heard, status=Comment.Status.APPROVED)
        .only("pk", "article_id", "author_name", "body", "created_at")
        .order_by("-created_at", "-pk")
    )
    by_article = {s.article_id: s for s in following.values()}
    for thread in threads[: RECENT_THREADS * len(following)]:
        subscription = by_article[thread.article_id]
        muted = {mute.thread_id for mute in subscription.mutes}
        if thread.pk not in muted and len(subscription.recent_threads) < RECENT_THREADS:
            subscription.recent_threads.append(thread)
    return subscriptions


def _mute_action(request: HttpRequest, subscriber: Subscriber, action: str) -> None:
    """Mute a thread of a followed discussion, or hear from it again (the manage page)."""
    subscription = (
        subscriber.subscriptions.select_related("article")
        .filter(pk=_int(request.POST.get("subscription")), kind=Subscription.Kind.ARTICLE)
        .first()
    )
    if subscription is None:
        return
    if action == "unmute":
        mute = subscription.muted_threads.filter(pk=_int(request.POST.get("mute"))).first()
        if mute is not None:
            notifications.unmute_thread(mute=mute)
            messages.success(request, "You will hear about that thread again.")
        return
    thread = notifications.followed_thread(subscription, _int(request.POST.get("thread")))
    if thread is not None:
        notifications.mute_thread(subscription=subscription, thread=thread)
        messages.success(
            request,
            f"Thread muted. You still get e-mails about the rest of "
            f"“{subscription.article.title}”.",
        )


@require_http_methods(["GET", "POST"])
def mute(request: HttpRequest, token: str) -> HttpResponse:
    """Mute one thread of a followed discussion (the link in notifications). GET asks first."""
    found = notifications.read_mute_token(token)
    if found is None:
        return _page(request, "subscription_link_invalid", {"kind": "mute"}, status=400)
    subscription, thread = found
    done = False
    if request.method == "POST":
        if _limited(
            request,
            "comments.link",
            client_rate=settings.NEWSROOM_NOTIFY_LINK_RATE,
            address=notifications.address_digest(subscription.subscriber.email),
            address_rate=settings.NEWSROOM_NOTIFY_LINK_ADDRESS_RATE,
        ):
            return _page(request, "subscription_too_many", {"message": TOO_MANY}, status=429)
        notifications.mute_thread(subscription=subscription, thread=thread)
        done = True
    return _page(
        request,
        "subscription_mute",
        {
            "subscription": subscription,
            "article": subscription.article,
            "thread": thread,
            "done": done,
            "already": not done and subscription.muted_threads.filter(thread_id=thread.pk).exists(),
            "manage_url": _manage_url(subscription.subscriber),
        },
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Exempt from CSRF, and only this view: RFC 8058 one-click unsubscribe. Mail
# programs (Gmail, Apple Mail…) POST "List-Unsubscribe=One-Click" to the URL
# in the List-Unsubscribe header from their own servers, with no page, cookie
# or CSRF token. The request is authorised by the signed token in the URL
# instead: it is bound to one subscription (or address) and cannot be forged,
# and all it can do is stop e-mails, so a cross-site request gains nothing.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop a subscription (or everything, for a digest's link). GET asks first."""
    valid, target, address = notifications.read_unsubscribe_token(token)
    if not valid:
        return _page(request, "subscription_link_invalid", {"kind": "unsubscribe"}, status=400)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        # One-click requests come from the mail providers' servers, so many
        # readers share one client address: those are limited per address only.
        if _limited(
            request,
            "comments.unsubscribe",
            client_rate=None if one_click else settings.NEWSROOM_NOTIFY_LINK_RATE,
            address=address,
            address_rate=settings.NEWSROOM_NOTIFY_LINK_ADDRESS_RATE,
        ):
            return _page(request, "subscription_too_many", {"message": TOO_MANY}, status=429)
        if isinstance(target, Subscription):
            notifications.unsubscribe(subscription=target)
        elif isinstance(target, Subscriber):
            notifications.unsubscribe_all(subscriber=target)
        # The same answer whether or not it was still subscribed.
        return _page(request, "subscription_unsubscribe", {"done": True, "target": target})
    return _page(
        request,
        "subscription_unsubscribe",
        {"done": target is None, "target": target, "token": token},
    )
