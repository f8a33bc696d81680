"""Bad, hostile and bot input: a clear message, the reader's text kept, nothing stored."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from comments.models import Comment, Subscriber
from comments.text import render
from tests.articles.test_html import xss_inputs
from tests.conftest import shared_json
from tests.factories import ArticleFactory, UserFactory, make_comment
from tests.safety import executable_parts

pytestmark = pytest.mark.django_db
POST_URL = "/comments/post/"


def assert_refused(response, message, kept_text=None):
    html = response.content.decode()
    assert response.status_code in (400, 429), response.status_code
    assert message in html, html[:2000]
    if kept_text is not None:
        assert kept_text in html
    assert "no-store" in response["Cache-Control"]


def kept_body(response) -> str:
    """The comment box's text in a refused form's page, exactly as sent back.

    Read from the markup, not through an HTML parser: parsers turn a NUL into
    U+FFFD, which would hide whether the page kept it.
    """
    found = re.search(
        r'<textarea name="body"[^>]*>\n(.*?)</textarea>', response.content.decode(), re.S
    )
    assert found, "no comment box in the page"
    return unescape(found.group(1))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something before posting."),
        ("   \n\t  ", "Write something before posting."),
        ("x" * 100_000, "the limit is 5,000"),
        ("before\x00after", "NUL character"),
    ],
)
def test_unusable_bodies_are_refused_with_a_reason(client, post_data, body, message):
    article = ArticleFactory()
    response = client.post(POST_URL, post_data(article, body=body, name="Ana Lima"))
    assert_refused(response, message)
    assert kept_body(response) == body  # all of it, the 100,000 characters and the NUL too
    assert 'value="Ana Lima"' in response.content.decode()
    assert Comment.objects.count() == 0


def test_an_empty_comment_is_explained_by_its_box_and_everything_else_typed_is_kept(
    client, post_data
):
    article = ArticleFactory()
    name = "نادية الخطيب \u200f(נדיה) — Ñandú-Øster 記者 🌍"  # RTL, a mark, CJK, emoji
    data = post_data(article, body="", name=name, email="nadia@example.org", notify="replies")

    response = client.post(POST_URL, data)

    assert_refused(response, "Write something before posting.")
    form = lxml_html.fromstring(response.content.decode()).find(".//form[@class='comment-form']")
    body = form.get_element_by_id("id_body")
    error = form.get_element_by_id(body.get("aria-describedby"))
    assert body.get("aria-invalid") == "true"
    assert error.text_content() == "Write something before posting."
    assert error.getparent() is body.getparent()  # right by the box
    assert form.get_element_by_id("id_name").get("value") == name
    assert form.get_element_by_id("id_email").get("value") == "nadia@example.org"
    assert form.xpath('.//select[@name="notify"]/option[@selected]/@value') == ["replies"]
    assert Comment.objects.count() == 0
    assert not Subscriber.objects.exists()


def test_invalid_utf8_is_refused_and_nothing_is_stored(client, post_data):
    article = ArticleFactory()
    response = client.post(
        POST_URL,
        data=(
            f"article={article.pk}&name=Ana&email=ana%40example.com&ts={post_data(article)['ts']}"
            "&body=caf%E9+ol%C3%A9"
        ).encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert_refused(response, "not valid UTF-8")
    # Everything readable is kept; the byte that was not UTF-8 shows as U+FFFD.
    assert kept_body(response) == "caf\ufffd olé"
    assert 'value="Ana"' in response.content.decode()
    assert 'value="ana@example.com"' in response.content.decode()
    assert Comment.objects.count() == 0


def test_long_text_is_kept_in_the_form_when_refused(client, post_data):
    article = ArticleFactory()
    text = "Mi opinión sobre el puente: " + "bien " * 1200
    response = client.post(POST_URL, post_data(article, body=text))
    assert_refused(response, "the limit is 5,000", kept_text="Mi opinión sobre el puente")


@pytest.mark.parametrize("case", ["missing", "removed", "elsewhere", "pending"])
def test_replies_to_unusable_parents_are_refused(client, post_data, case):
    article = ArticleFactory()
    parents = {
        "missing": lambda: 987654,
        "removed": lambda: make_comment(article, status=Comment.Status.REMOVED).pk,
        "elsewhere": lambda: make_comment(ArticleFactory()).pk,
        "pending": lambda: make_comment(article, status=Comment.Status.PENDING).pk,
    }
    parent_id = parents[case]()
    before = Comment.objects.count()

    response = client.post(POST_URL, post_data(article, parent=parent_id, body="My reply text"))

    assert_refused(response, "replying to", kept_text="My reply text")
    assert Comment.objects.count() == before


def test_guest_must_give_name_and_email(client, post_data):
    article = ArticleFactory()
    response = client.post(POST_URL, post_data(article, name="", email="not-an-address"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Give a name to show with your comment." in html
    assert "Enter a valid email address." in html
    assert Comment.objects.count() == 0


def test_a_deactivated_account_cannot_comment(client, post_data):
    article = ArticleFactory()
    user = UserFactory()
    client.force_login(user)
    user.is_active = False
    user.save()

    response = client.post(POST_URL, post_data(article, body="Still here?", name=None, email=None))

    # The session of a deactivated account is no longer valid: the reader is
    # asked for guest details, and their text is kept.
    assert_refused(response, "Give a name to show with your comment.", kept_text="Still here?")
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("javascript", [False, True])
def test_a_deleted_account_is_named_as_the_reason_and_the_text_kept(client, post_data, javascript):
    article = ArticleFactory()
    user = UserFactory()
    client.force_login(user)
    user.delete()  # elsewhere: another device, or by the site's staff
    headers = {"accept": "application/json"} if javascript else {}

    response = client.post(
        POST_URL,
        post_data(article, body="Written while I thought I was signed in", name="", email=""),
        headers=headers,
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "The account you were signed in with no longer exists" in html
    assert "Sign in again, or post as a guest" in html
    assert "Give a name" not in html and "Give your e-mail" not in html
    if not javascript:
        assert kept_body(response) == "Written while I thought I was signed in"
    assert Comment.objects.count() == 0


def test_after_a_deleted_account_the_reader_can_post_as_a_guest(client, post_data):
    article = ArticleFactory()
    user = UserFactory()
    client.force_login(user)
    user.delete()

    response = client.post(POST_URL, post_data(article, name="Ana Lima"))

    assert response.status_code == 302
    assert Comment.objects.get().author_name == "Ana Lima"


def test_the_honeypot_turns_bots_away(client, post_data):
    article = ArticleFactory()
    response = client.post(POST_URL, post_data(article, website="http://spam.example"))
    assert_refused(response, "leave the last field empty")
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("ts", ["", "forged-token", None])
def test_missing_or_forged_timestamp_gives_the_form_back_with_a_fresh_one(client, post_data, ts):
    article = ArticleFactory()
    response = client.post(POST_URL, post_data(article, ts=ts, body="Keep these words"))
    assert_refused(response, "This form had expired", kept_text="Keep these words")
    assert re.search(r'name="ts" value="[^"]+:', response.content.decode())
    assert Comment.objects.count() == 0


def test_posting_too_fast_is_rate_limited_per_client_with_text_kept(client, post_data, settings):
    settings.NEWSROOM_COMMENT_POST_RATE = "2/m"
    article = ArticleFactory()
    for n in range(2):
        assert client.post(POST_URL, post_data(article, body=f"Comment {n}")).status_code == 302

    response = client.post(POST_URL, post_data(article, body="Third in a minute"))

    assert response.status_code == 429
    assert "Third in a minute" in response.content.decode()
    assert Comment.objects.count() == 2


def test_a_forged_forwarded_for_header_neither_dodges_limits_nor_changes_the_stored_ip(
    client, post_data, settings
):
    settings.NEWSROOM_COMMENT_POST_RATE = "1/m"
    article = ArticleFactory()
    client.post(POST_URL, post_data(article), HTTP_X_FORWARDED_FOR="203.0.113.5")

    response = client.post(
        POST_URL, post_data(article, body="again"), HTTP_X_FORWARDED_FOR="198.51.100.7"
    )

    assert response.status_code == 429
    assert Comment.objects.get().ip_address == "127.0.0.1"


def test_comment_without_csrf_token_from_our_page_is_shown_back_for_confirmation(post_data):
    client = Client(enforce_csrf_checks=True)
    article = ArticleFactory()
    data = post_data(article, body="Typed with JavaScript off")

    response = client.post(
        POST_URL, data, HTTP_REFERER=f"http://testserver{article.get_absolute_url()}"
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert "Please confirm" in html and "Typed with JavaScript off" in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    fields["body"] = "Typed with JavaScript off"
    fields["csrfmiddlewaretoken"] = token
    fields["ts"] = data["ts"]  # a second has not passed in the test; use the older stamp
    confirmed = client.post(POST_URL, fields)
    assert confirmed.status_code == 302
    assert Comment.objects.get().body == "Typed with JavaScript off"


def test_cross_site_post_without_token_gets_a_plain_refusal(post_data):
    client = Client(enforce_csrf_checks=True)
    article = ArticleFactory()
    response = client.post(
        POST_URL, post_data(article, body="forged"), HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert "forged" not in response.content.decode()
    assert Comment.objects.count() == 0


def test_nothing_executable_survives_in_comment_text():
    inputs = xss_inputs()  # every file of ../shared/data/xss; skipped where it is absent
    assert len(inputs) > 300
    for text in inputs:
        html = render(text)
        assert executable_parts(html) == [], (text, html)


def test_links_get_nofollow_ugc_noopener_and_too_many_links_hold_the_comment(client, post_data):
    article = ArticleFactory()
    # A reader who has commented before (a first comment with links scores higher).
    make_comment(article, author_email="ines@example.com", body="An earlier comment.")
    client.post(
        POST_URL,
        post_data(
            article, body="See https://a.example.org and <a href='https://b.example.org'>b</a>"
        ),
    )
    first = Comment.objects.latest("pk")
    assert first.status == Comment.Status.APPROVED
    assert first.body_html.count('rel="nofollow ugc noopener"') == 2

    client.post(
        POST_URL,
        post_data(
            article, body="https://a.example.org https://b.example.org https://c.example.org"
        ),
    )

    held = Comment.objects.latest("pk")
    assert held.status == Comment.Status.PENDING and "links" in held.moderation_reason


def test_blns_strings_never_crash_posting(client, post_data, settings):
    settings.NEWSROOM_COMMENT_POST_RATE = "10000/m"
    strings = shared_json("strings", "blns.json")
    article = ArticleFactory()
    for text in strings[::5]:
        response = client.post(POST_URL, post_data(article, body=text, name=text[:80] or "x"))
        assert response.status_code in (302, 400), (text, response.status_code)


def test_premoderation_first_time_holds_only_a_readers_first_comment(client, post_data, settings):
    settings.NEWSROOM_COMMENT_PREMODERATION = "first_time"
    article = ArticleFactory()
    client.post(POST_URL, post_data(article, body="My first"))
    first = Comment.objects.get()
    assert first.status == Comment.Status.PENDING
    first.status = Comment.Status.APPROVED
    first.save()

    client.post(POST_URL, post_data(article, body="My second"))

    assert Comment.objects.get(body="My second").status == Comment.Status.APPROVED
    assert reverse("comments:post") == POST_URL
