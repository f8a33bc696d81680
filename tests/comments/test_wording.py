"""Editors reword the notification e-mails in the admin (comments/wording.py).

Through the real admin over HTTP: the form shows the wording in force, checks
what is typed, previews it without saving; the worker then sends the new
wording, and nothing an editor writes can remove the unsubscribe link or
the List-Unsubscribe headers.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from comments import wording
from comments.models import EmailTemplate
from tests.conftest import form_data
from tests.factories import (
    ArticleFactory,
    UserFactory,
    editor,
    make_comment,
    moderator,
    subscription,
)

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:comments_emailtemplate_changelist")


def change_url(kind: str) -> str:
    return reverse(
        "admin:comments_emailtemplate_change", args=[EmailTemplate.objects.get(kind=kind).pk]
    )


@pytest.fixture
def editor_client(client):
    client.force_login(editor(username="eve"))
    return client


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def edit(client, kind: str, **parts):
    """Post the change form as the editor saw it, with ``parts`` changed."""
    data = form_data(client.get(change_url(kind)), "emailtemplate_form")
    data.update({part: [text] for part, text in parts.items()})
    return client.post(change_url(kind), data)


def notify(send, *, author="Tomás Reyes", parent=None, article=None):
    article = article or ArticleFactory(title="Harbour bridge")
    subscription(article, "ines@example.com")
    with send():
        make_comment(article, author_name=author, author_email="x@example.com", parent=parent)
    return mail.outbox[-1]


def html_part(message) -> str:
    [(content, _mimetype)] = message.alternatives
    return content


def test_every_kind_of_e_mail_is_listed_and_the_editors_group_may_change_them(editor_client):
    editors = Group.objects.get(name="Editors")
    assert {"view_emailtemplate", "change_emailtemplate"} <= set(
        editors.permissions.values_list("codename", flat=True)
    )

    html = unescape(editor_client.get(CHANGELIST).content.decode())

    for label in EmailTemplate.Kind.labels:
        assert label in html
    assert html.count("Default") >= 6
    assert "Add notification e-mail" not in html  # one per kind, made by a migration


def test_readers_and_moderators_cannot_change_the_wording(client):
    client.force_login(moderator())
    assert client.get(change_url("comment")).status_code == 403
    client.force_login(UserFactory())
    assert client.get(change_url("comment")).status_code == 302  # to sign in as staff


def test_the_form_shows_the_default_wording_the_placeholders_and_a_preview(editor_client):
    response = editor_client.get(change_url("comment"))
    html = response.content.decode()

    assert response.status_code == 200
    assert "New comment on “{{ article_title }}”" in html
    assert "[Unsubscribe from this discussion]({{ unsubscribe_url }})" in html
    assert "<code>{{ unsubscribe_url }}</code>: stops e-mails about this discussion" in html
    assert (
        "This e-mail must keep the links <code>{{ unsubscribe_url }}</code>, "
        "<code>{{ mute_url }}</code>, <code>{{ manage_url }}</code>." in html
    )
    # The preview: subject, plain text, and the HTML in a sandboxed frame.
    assert "New comment on “Harbour bridge to close for two weeks of repairs”" in html
    assert re.search(r'<iframe [^>]*sandbox srcdoc="&lt;!DOCTYPE html&gt;', html)
    assert "Unsubscribe from this discussion: http://testserver/comments/unsubscribe/" in html
    # Its inline styles are allowed by their hashes, on this page only.
    policy = response["Content-Security-Policy"]
    assert "'unsafe-hashes'" in policy and "'sha256-" in policy and "'unsafe-inline'" not in policy
    assert "'unsafe-hashes'" not in editor_client.get(CHANGELIST)["Content-Security-Policy"]


def test_editor_rewords_a_notification_and_the_next_e_mail_uses_it(editor_client, send):
    response = edit(
        editor_client,
        "comment",
        subject="{{ author }} wrote on “{{ article_title }}”",
        heading="Fresh from the comments",
        footer="Sent to {{ email }}.\n\n[Stop these]({{ unsubscribe_url }}) or "
        "[mute the thread]({{ mute_url }}).\n\n[All you follow]({{ manage_url }})",
    )
    assert response.status_code == 302
    saved = EmailTemplate.objects.get(kind="comment")
    assert saved.updated_by.username == "eve"
    assert saved.intro == ""  # left as the default: follows future defaults

    notice = notify(send)

    assert notice.subject == "Tomás Reyes wrote on “Harbour bridge”"
    assert notice.body.startswith("Fresh from the comments\n")
    unsubscribe = notice.message()["List-Unsubscribe"].strip("<>")
    assert f"Stop these: {unsubscribe} or mute the thread: http://testserver/comments/" in (
        notice.body
    )
    html = html_part(notice)
    assert re.search(rf'<a href="{re.escape(unsubscribe)}"[^>]*>Stop these</a> or <a ', html)
    assert notice.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize(
    ("part", "text", "message"),
    [
        ("footer", "Bye. {% if %}", "This does not render"),
        ("subject", "New: {{ article_title|nosuchfilter }}", "This does not render"),
        ("footer", "[Stop]({{ unsubscribe_ulr }})", "Unknown placeholder {{ unsubscribe_ulr }}"),
        ("intro", "From {{ comment.author_email }}", "Unknown placeholder"),
        ("intro", "{% load humanize %}{{ total|intcomma }}", "not a registered tag library"),
        ("intro", '{% include "comments/email/base.html" %}', "does not render"),
        ("intro", "{% debug %}", "{% debug %} cannot be used"),
        ("footer", "Thanks for reading.", "must keep the link {{ unsubscribe_url }}"),
        ("footer", "{% if False %}[x]({{ unsubscribe_url }}){% endif %}", "must keep the link"),
        ("subject", "Two\nlines", "One line only"),
        ("intro", "x" * 3001, "At most 3,000 characters"),
    ],
)
def test_wording_that_fails_is_refused_with_a_clear_message_and_the_text_kept(
    editor_client, part, text, message
):
    response = edit(editor_client, "comment", heading="Not saved", **{part: text})

    assert response.status_code == 200
    html = response.content.decode()
    assert message in unescape(html)
    assert "Please correct the error below." in html
    assert escape(text[:100]) in html  # what was typed is kept
    assert EmailTemplate.objects.get(kind="comment").footer == ""  # nothing saved
    assert "Not saved</h1>" not in unescape(html)
    assert "Fix the errors above to see your changes" in html
    assert "New comment in a discussion you follow" in html  # the saved heading, previewed


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("comment", "manage_url"),
        ("comment", "mute_url"),
        ("reply", "manage_url"),
        ("digest", "manage_url"),
    ],
)
def test_editors_cannot_remove_the_manage_or_mute_link(editor_client, kind, name):
    placeholder = f"{{{{ {name} }}}}"
    footer = wording.default(kind, "footer")
    assert placeholder in footer
    without = "\n".join(line for line in footer.splitlines() if placeholder not in line)

    response = edit(editor_client, kind, footer=without)

    assert response.status_code == 200
    assert f"must keep the link {placeholder}" in unescape(response.content.decode())
    assert EmailTemplate.objects.get(kind=kind).footer == ""


def test_stored_wording_without_the_manage_or_mute_link_is_not_sent(send, caplog):
    # As if saved before these links were required.
    EmailTemplate.objects.filter(kind="comment").update(
        footer="[Unsubscribe]({{ unsubscribe_url }})"
    )

    notice = notify(send)

    assert "Manage your notifications" in notice.body
    assert "http://testserver/comments/subscriptions/manage/" in notice.body
    assert "Mute this thread only: http://testserver/comments/subscriptions/mute/" in notice.body
    assert "edited wording of comment e-mails failed, default sent" in caplog.text


def test_preview_shows_what_was_typed_without_saving_it(editor_client):
    data = form_data(editor_client.get(change_url("digest")), "emailtemplate_form")
    data["subject"] = ["{{ total }} new in {{ discussions }} discussions today"]
    data["_preview"] = ["Preview without saving"]

    response = editor_client.post(change_url("digest"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Not saved yet: this is what you typed." in html
    assert "3 new in 2 discussions today" in html
    assert EmailTemplate.objects.get(kind="digest").subject == ""


def test_reader_text_in_the_wording_never_becomes_markup_or_a_link(editor_client, send):
    edit(editor_client, "reply", intro="{{ author }} said: see [here]({{ comment_url }}).")
    article = ArticleFactory()
    mine = make_comment(article, author_email="ines@example.com")
    subscription(article, "ines@example.com", comment=mine)
    with send():
        make_comment(
            article, parent=mine, author_email="x@example.com",
            author_name="<b>Eve</b> [win](https://evil.example)",
        )  # fmt: skip

    html = html_part(mail.outbox[-1])
    assert "&lt;b&gt;Eve&lt;/b&gt; [win](https://evil.example) said: see <a href=" in html
    assert 'evil.example"' not in html and 'href="https://evil' not in html


def test_stored_wording_that_fails_for_one_e_mail_falls_back_to_the_default(
    editor_client, send, caplog
):
    # Passes the check (made-up author) but hides the link for every other author.
    sneaky = (
        "{% if author == 'Tomás Reyes' %}[Unsubscribe]({{ unsubscribe_url }}){% endif %}\n\n"
        "[Mute]({{ mute_url }}) [Manage]({{ manage_url }})"
    )
    assert edit(editor_client, "comment", footer=sneaky).status_code == 302

    notice = notify(send, author="Eve")

    unsubscribe = notice.message()["List-Unsubscribe"].strip("<>")
    assert f"Unsubscribe from this discussion: {unsubscribe}" in notice.body
    assert "edited wording of comment e-mails failed, default sent" in caplog.text


def test_the_reset_action_brings_back_the_default_wording(editor_client, send):
    edit(editor_client, "comment", subject="Psst: {{ article_title }}")
    assert notify(send).subject == "Psst: Harbour bridge"

    editor_client.post(
        CHANGELIST,
        {"action": "reset", "_selected_action": [EmailTemplate.objects.get(kind="comment").pk]},
    )

    assert notify(send).subject == "New comment on “Harbour bridge”"


def test_every_default_wording_passes_its_own_check():
    for kind in EmailTemplate.Kind.values:
        assert wording.check(kind, wording.defaults(kind)) == {}, kind


def test_the_list_and_the_form_cost_the_same_queries_however_many_were_edited(editor_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(url).status_code == 200
        return len(queries)

    cost(CHANGELIST), cost(change_url("digest"))  # warm up: content types, the menu
    before = cost(CHANGELIST), cost(change_url("digest"))
    for n, kind in enumerate(EmailTemplate.Kind.values):
        EmailTemplate.objects.filter(kind=kind).update(
            subject=f"Edited {n}: {{{{ site_name }}}}", updated_by=editor(username=f"ed{n}")
        )
    assert (cost(CHANGELIST), cost(change_url("digest"))) == before
