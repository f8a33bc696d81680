"""Public reader pages, avatars, the masthead state, and what is never shown."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import avatars, pages
from tests.conftest import shared_json
from tests.factories import ArticleFactory, make_comment, reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def rosa():
    return reader(email="rosa.private@example.org", username="rosa-login", display_name="Rosa Vale")


def test_reader_page_is_public_cacheable_and_never_shows_login_or_address(client, rosa):
    profile = rosa.reader_profile
    profile.bio = "Cyclist and <script>alert(1)</script> reader."
    profile.save()
    client.force_login(rosa)  # even the owner gets the page everyone gets

    response = client.get(profile.get_absolute_url())

    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "s-maxage" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    assert "Set-Cookie" not in str(response.cookies) and not response.cookies
    content = response.content.decode()
    assert "Rosa Vale" in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "rosa.private" not in content and "rosa-login" not in content
    assert "csrfmiddlewaretoken" not in content
    assert 'name="robots" content="noindex, follow"' in content
    assert "No public comments yet." in content
    assert f'data-reader-owner="{profile.public_id}"' in content


def test_reader_page_of_an_unknown_or_deactivated_reader_is_not_found(client, rosa):
    url = rosa.reader_profile.get_absolute_url()
    rosa.is_active = False
    rosa.save()

    assert client.get(url).status_code == 404
    assert client.get(reverse("accounts:reader", args=["nosuchreader"])).status_code == 404


def test_other_apps_fill_the_reader_page_through_the_registry(
    client, rosa, restore_reader_sections
):
    @pages.reader_section("comments", title="Comments", order=10)
    def comments(user):
        return pages.Section("accounts/includes/reader_comments_empty.html", {"ignored": user.pk})

    @pages.reader_section("badges", title="Badges", order=5)
    def badges(user):
        return None  # nothing to show: no section at all

    content = client.get(rosa.reader_profile.get_absolute_url()).content.decode()

    assert content.count('class="reader-section"') == 1
    assert "Badges" not in content


def test_reader_page_query_count_does_not_grow_with_the_number_of_readers(
    client, rosa, django_assert_num_queries
):
    url = rosa.reader_profile.get_absolute_url()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        reader(email=f"r{n}@example.org", username=f"r{n}", display_name=f"Reader {n}")
        make_comment(ArticleFactory(), user=rosa, body=f"Comment {n}")

    # The profile with its user, the section navigation, and the comments
    # section (one query, whatever the number of comments).
    cache.clear()  # counted cold, like the first request
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
    assert len(few.captured_queries) == 3


def test_avatar_is_drawn_here_from_the_seed_and_cached_for_a_year(client, rosa):
    url = rosa.reader_profile.avatar_url

    response = client.get(url)

    assert url == f"/avatars/{rosa.reader_profile.avatar_seed}.svg"
    assert response["Content-Type"] == "image/svg+xml"
    assert (
        "immutable" in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]
    )
    svg = response.content.decode()
    assert svg.startswith("<svg") and "<rect" in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert client.get(url).content == response.content  # always the same picture
    assert client.get("/avatars/not-a-seed.svg").status_code == 404


def test_avatars_differ_between_seeds_and_guest_seeds_hide_their_source():
    first, second = avatars.new_seed(), avatars.new_seed()
    assert avatars.identicon_svg(first) != avatars.identicon_svg(second)
    guest_seed = avatars.seed_for("guest:nadia@example.org")
    assert re.fullmatch(avatars.SEED_PATTERN, guest_seed)
    assert guest_seed == avatars.seed_for("guest:nadia@example.org")
    assert "nadia" not in guest_seed


def test_session_state_names_the_signed_in_reader_in_one_query(
    client, rosa, django_assert_num_queries
):
    client.force_login(rosa)
    client.get(reverse("session_state"))  # warm up the session

    # session, user, profile (shared by the "user" and "account" parts)
    with django_assert_num_queries(3):
        data = json.loads(client.get(reverse("session_state")).content)
    assert data["user"]["name"] == "Rosa Vale"

    account = data["account"]
    assert account["name"] == "Rosa Vale"
    assert account["public_url"] == rosa.reader_profile.get_absolute_url()
    assert account["avatar_url"] == rosa.reader_profile.avatar_url
    assert account["logout_url"] == reverse("account_logout")
    assert "admin_url" not in account
    assert "rosa.private" not in json.dumps(data)


def test_session_state_is_null_for_visitors(client):
    assert json.loads(client.get(reverse("session_state")).content)["account"] is None


def test_account_links_from_other_apps_reach_the_session_and_the_menu(
    client, rosa, restore_reader_sections
):
    pages.account_link("subscriptions", label="Your subscriptions", url_name="accounts:data")
    pages.account_link("missing", label="Not installed", url_name="no-such-url")
    client.force_login(rosa)

    links = json.loads(client.get(reverse("session_state")).content)["account"]["links"]
    menu = client.get(reverse("accounts:home")).content.decode()

    # (Apps register their own links too, e.g. comment notifications.)
    assert {
        "name": "subscriptions",
        "label": "Your subscriptions",
        "url": "/accounts/data/",
    } in links
    assert "missing" not in {link["name"] for link in links}
    assert "Your subscriptions" in menu and "Not installed" not in menu


def test_owner_reaches_their_subscriptions_without_javascript(client, rosa):
    public_url = rosa.reader_profile.get_absolute_url()
    anonymous = client.get(public_url).content
    client.force_login(rosa)
    public = client.get(public_url).content.decode()

    # The public page stays the same for everyone; without JavaScript it points
    # the way to the account page, which lists the subscriptions.
    assert public.encode() == anonymous
    note = re.search(r"<noscript>(.*?)</noscript>", public, re.S).group(1)
    assert f'href="{reverse("accounts:home")}"' in note
    home = client.get(reverse("accounts:home")).content.decode()
    assert f'href="{reverse("comments:subscriptions")}"' in home
    assert "Comment notifications" in home


def test_public_pages_stay_identical_for_signed_in_readers(client, rosa):
    article = ArticleFactory()
    anonymous = client.get(article.get_absolute_url())
    client.force_login(rosa)
    signed_in = client.get(article.get_absolute_url())

    assert signed_in.content == anonymous.content
    assert "Cookie" not in signed_in.get("Vary", "")
    content = signed_in.content.decode()
    # The masthead offers signing in; account-nav.js swaps in the reader's name.
    assert f'href="/accounts/login/?next={article.get_absolute_url()}"' in content
    assert "Rosa Vale" not in content
    assert "/static/js/account-nav.js" in content


def test_private_pages_show_the_signed_in_reader_without_javascript(client, rosa):
    client.force_login(rosa)

    content = client.get(reverse("accounts:home")).content.decode()

    nav = re.search(r'<nav class="account-nav".*?</nav>', content, re.S).group(0)
    assert "Rosa Vale" in nav and "Sign out" in nav and 'method="post"' in nav
    assert "rosa.private@example.org" in content  # the owner's own page may show it


def test_every_display_name_from_the_naughty_strings_list_is_stored_safely_or_refused(rosa):
    from accounts.forms import ProfileForm

    profile = rosa.reader_profile
    for text in shared_json("strings", "blns.json"):
        form = ProfileForm({"display_name": text, "bio": text[:300]}, instance=profile)
        if form.is_valid():
            cleaned = form.cleaned_data["display_name"]
            assert 2 <= len(cleaned) <= 50
            assert "\u202e" not in cleaned and "\u200b" not in cleaned
        else:
            assert form.errors  # a message, never an exception


def test_hostile_profile_text_is_escaped_on_the_public_page(client, rosa):
    vectors = [v["vector"] for v in shared_json("xss", "owasp-xss-filter-evasion-vectors.json")]
    client.force_login(rosa)
    for vector in vectors[:25]:
        client.post(reverse("accounts:profile"), {"display_name": "Rosa Vale", "bio": vector[:300]})
        content = client.get(rosa.reader_profile.get_absolute_url()).content.decode()
        bio = re.search(r'<p class="reader-bio">(.*?)</p>', content, re.S)
        if bio:
            assert "<script" not in bio.group(1).lower()
            assert "<img" not in bio.group(1).lower()
            assert "<svg" not in bio.group(1).lower()


def test_account_home_query_count_is_fixed(client, rosa, django_assert_num_queries):
    client.force_login(rosa)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("accounts:home"))
    for n in range(5):
        reader(email=f"r{n}@example.org", username=f"r{n}", display_name=f"Reader {n}")

    cache.clear()  # counted cold, like the first request
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    # session, user, profile, e-mail address, authenticator, section navigation
    assert len(first.captured_queries) == 6
