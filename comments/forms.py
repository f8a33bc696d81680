"""The comment form, and the anti-bot checks that work on cached pages.

The article page is served from a shared cache, so it cannot carry anything
per request. The two anti-bot fields are therefore:

* a honeypot field that humans never see (hidden by CSS, not by ``hidden``
  attributes that bots recognise), identical in every copy of the page;
* a signed timestamp (``ts``) that the page's script fetches from the
  uncached session endpoint, and that the uncached form page embeds. A post
  without a valid one is answered with the form again (text kept) and a fresh
  timestamp, so a reader is never stuck, while scripts that post instantly or
  replay old forms are refused.
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing

TIMESTAMP_SALT = "newsroom.comments.form-timestamp"
TIMESTAMP_MAX_AGE = 60 * 60 * 24


def new_timestamp() -> str:
    return signing.dumps(int(time.time()), salt=TIMESTAMP_SALT)


class CommentForm(forms.Form):
    article = forms.IntegerField(widget=forms.HiddenInput)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    body = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 5}),
        strip=False,
        error_messages={
            "required": "Write something before posting.",
            "null_characters_not_allowed": "Your comment contains a NUL character, which we "
            "cannot store. Remove it and post again.",
        },
    )
    name = forms.CharField(label="Name", max_length=80, required=False)
    email = forms.EmailField(
        label="E-mail",
        required=False,
        help_text="Never shown to anyone. Used only if you ask to be notified.",
    )
    ts = forms.CharField(widget=forms.HiddenInput, required=False)
    # The honeypot: a field named like one bots love, that people never see.
    website = forms.CharField(label="Leave this field empty", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["body"].widget.attrs["maxlength"] = settings.NEWSROOM_COMMENT_MAX_LENGTH
        if self.user:
            del self.fields["name"]
            del self.fields["email"]
        self.stale_timestamp = False

    def clean_name(self) -> str:
        name = self.cleaned_data.get("name", "").strip()
        if self.user is None and not name:
            raise forms.ValidationError("Give a name to show with your comment.")
        if "\x00" in name:
            raise forms.ValidationError("Your name contains a NUL character; remove it.")
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data.get("email", "").strip()
        if self.user is None and not email:
            raise forms.ValidationError("Give your e-mail address (it is never shown to anyone).")
        return email

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(
                "Your comment could not be posted. If you are a person, leave the last field empty."
            )
        return ""

    def clean_ts(self) -> str:
        value = self.cleaned_data.get("ts", "")
        try:
            issued = signing.loads(value, salt=TIMESTAMP_SALT, max_age=TIMESTAMP_MAX_AGE)
        except signing.BadSignature:
            self.stale_timestamp = True
            raise forms.ValidationError(
                "This form had expired. Your text is still here: check it and post again."
            ) from None
        if time.time() - issued < settings.NEWSROOM_COMMENT_MIN_SECONDS:
            self.stale_timestamp = True
            raise forms.ValidationError(
                "That was very fast. Your text is still here: check it and post again."
            )
        return value


class EditForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=False,
        error_messages={"required": "Write something, or delete the comment instead."},
    )
