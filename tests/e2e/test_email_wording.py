"""The notification e-mail editor in the admin, in a real browser, under the real CSP."""

import pytest
from django.urls import reverse

from accounts.services import account_provision
from comments.models import EmailTemplate
from tests.e2e.test_admin_editor import sign_in
from tests.factories import editor

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_previews_reworded_e_mail_styled_as_a_mail_program_shows_it(page):
    template = EmailTemplate.objects.get(kind="comment")
    change_url = reverse("admin:comments_emailtemplate_change", args=[template.pk])
    user = editor()
    account_provision(user=user, display_name="Eve Marsh")
    sign_in(page, user, change_url)

    frame = page.frame_locator("iframe.email-preview-frame")
    frame.locator("h1").wait_for()
    # The e-mail's inlined styles apply inside the frame (allowed by their hashes).
    background = frame.locator(".wrapper").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(244, 241, 234)"

    page.fill("#id_heading", "Fresh from the comments")
    page.click("input[name=_preview]")
    page.wait_for_selector("text=Not saved yet: this is what you typed.")
    assert frame.locator("h1").inner_text() == "Fresh from the comments"
    assert "Fresh from the comments" in page.locator(".email-preview-text").inner_text()
    template.refresh_from_db()
    assert template.heading == ""  # previewing saves nothing
