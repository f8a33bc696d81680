"""The account area (private) and the public reader pages and avatars.

Signing up, in and out, e-mail, password, two-factor authentication and
sessions are allauth's views (styled by templates/allauth/ and friends);
here are the pages allauth does not have.
"""

from __future__ import annotations

import json

from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import DetailView

from newsroom.http import PublicPageMixin, mark_private

from . import avatars, pages, services
from .forms import DeleteAccountForm, ProfileForm
from .models import ReaderProfile

AVATAR_MAX_AGE = 60 * 60 * 24 * 365


def _private(template: str):
    """Render ``template`` privately: these pages are per reader."""

    def respond(request, context, status=200):
        return mark_private(render(request, template, context, status=status))

    return respond


@require_GET
@login_required
def account_home(request):
    profile = services.profile_ensure(user=request.user)
    primary = EmailAddress.objects.get_primary(request.user)
    has_totp = Authenticator.objects.filter(
        user=request.user, type=Authenticator.Type.TOTP
    ).exists()
    return _private("accounts/account_home.html")(
        request,
        {
            "profile": profile,
            "primary_email": primary,
            "has_totp": has_totp,
            "account_links": pages.account_links(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def profile_edit(request):
    profile = services.profile_ensure(user=request.user)
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:home")
    status = 400 if form.errors else 200
    return _private("accounts/profile_form.html")(
        request, {"form": form, "profile": profile}, status=status
    )


@require_http_methods(["GET", "POST"])
@login_required
@reauthentication_required(allow_get=True)
def data_download(request):
    """GET: what the download contains. POST: the JSON file (after re-entering the password)."""
    if request.method == "GET":
        return _private("accounts/data.html")(request, {"sections": _export_sections()})
    data = services.account_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"newsroom-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return mark_private(response)


def _export_sections() -> list[str]:
    from . import privacy

    return [name for name, _provider in privacy.exporter.items()]


@require_http_methods(["GET", "POST"])
@login_required
@reauthentication_required(allow_get=True)
def account_delete(request):
    data = request.POST if request.method == "POST" else None
    form = DeleteAccountForm(data, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user, content=form.cleaned_data["content"])
        logout(request)
        return redirect("accounts:deleted")
    status = 400 if form.errors else 200
    return _private("accounts/delete.html")(request, {"form": form}, status=status)


@require_GET
def account_deleted(request):
    return _private("accounts/deleted.html")(request, {})


class ReaderDetailView(PublicPageMixin, DetailView):
    """A reader's public page: the same for every visitor, so publicly cacheable.

    Shows the display name, bio, avatar and the sections other apps register
    (``accounts.pages``): never the login or the e-mail address.
    """

    template_name = "accounts/reader_detail.html"
    context_object_name = "profile"
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self):
        return ReaderProfile.objects.for_reader_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = pages.sections_for(self.object.user, page=self._page())
        return context

    def _page(self) -> int:
        raw = self.request.GET.get("page", "1")
        # Only plain page numbers: anything else would be one more URL to cache.
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise Http404("No such page")
        return int(raw)


@require_GET
def avatar(request, seed: str):
    """The avatar for ``seed``: an SVG that never changes, so cached for a year."""
    response = HttpResponse(avatars.identicon_svg(seed), content_type="image/svg+xml")
    patch_cache_control(response, public=True, max_age=AVATAR_MAX_AGE, immutable=True)
    return response
