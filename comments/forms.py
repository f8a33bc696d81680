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

from articles.anchoring import MAX_QUOTE_LENGTH, Selector

from .models import Subscriber

TIMESTAMP_SALT = "newsroom.comments.form-timestamp"
TIMESTAMP_MAX_AGE = 60 * 60 * 24


def new_timestamp() -> str:
    return signing.dumps(int(time.time()), salt=TIMESTAMP_SALT)


def _line_feeds(value: str) -> str:
    """A passage as the anchor text has it: blocks there are joined by a bare
    line feed, but browsers send form data with CRLF line breaks (FormData
    does), which would match nothing exactly and widen the fuzzy match."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


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
        max_length=254,  # as stored (Comment.author_email)
        required=False,
        help_text="Never shown to anyone. Used only if you ask to be notified.",
    )
    notify = forms.ChoiceField(
        label="Notify me of",
        required=False,
        choices=[
            ("", "Nothing"),
            ("article", "New follow-up comments"),
            ("replies", "New replies to my comments"),
        ],
    )
    ts = forms.CharField(widget=forms.HiddenInput, required=False)
    # Inline feedback: the passage commented on (filled by the page script from
    # the reader's selection, see ``comments.feedback``), or the editors'
    # question answered (which carries its own passage; works without script).
    anchor_exact = forms.CharField(
        widget=forms.HiddenInput, required=False, strip=False, max_length=MAX_QUOTE_LENGTH
    )
    anchor_prefix = forms.CharField(
        widget=forms.HiddenInput, required=False, strip=False, max_length=200
    )
    anchor_suffix = forms.CharField(
        widget=forms.HiddenInput, required=False, strip=False, max_length=200
    )
    anchor_start = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    anchor_end = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    question = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    # The honeypot: a field named like one bots love, that people never see.
    website = forms.CharField(label="Leave this field empty", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["body"].widget.attrs["maxlength"] = settings.NEWSROOM_COMMENT_MAX_LENGTH
        # Guests give a name and address, unless the site lets only accounts
        # comment: then they are asked to sign in instead (form_fields.html).
        self.sign_in_required = self.user is None and not settings.NEWSROOM_COMMENTS_ALLOW_GUESTS
        if self.user or self.sign_in_required:
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

    def clean_notify(self) -> str:
        notify = self.cleaned_data.get("notify", "")
        if notify and self.user is not None and not self.user.email:
            raise forms.ValidationError(
                "Your account has no e-mail address, so we cannot notify you. Add one to your "
                "account, or choose “Nothing”."
            )
        return notify

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(
                "Your comment could not be posted. If you are a person, leave the last field empty."
            )
        return ""

    def clean(self):
        cleaned = super().clean()
        problems = [
            name
            for name in ("anchor_exact", "anchor_prefix", "anchor_suffix")
            if name in self.errors
        ]
        if problems:
            for name in problems:
                del self.errors[name]
            self.add_error(
                None,
                f"The passage you selected is too long (at most {MAX_QUOTE_LENGTH:,} "
                "characters). Select fewer words; your comment is kept.",
            )
        exact = _line_feeds(cleaned.get("anchor_exact") or "")
        cleaned["anchor"] = (
            Selector(
                exact=exact,
                prefix=_line_feeds(cleaned.get("anchor_prefix") or ""),
                suffix=_line_feeds(cleaned.get("anchor_suffix") or ""),
                start=cleaned.get("anchor_start"),
                end=cleaned.get("anchor_end"),
            )
            if exact.strip()
            else None
        )
        return cleaned

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


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with this comment?",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why you are reporting this comment."},
    )
    note = forms.CharField(
        label="Anything the moderators should know? (optional)",
        required=False,
        max_length=500,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        error_messages={
            "max_length": "Keep your note under 500 characters (it has %(show_value)s).",
            "null_characters_not_allowed": "Your note contains a NUL character; remove it.",
        },
    )

    def __init__(self, *args, **kwargs):
        from .models import Report

        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = Report.Reason.choices


# --- The moderation workspace ---------------------------------------------------------


class QueueFilterForm(forms.Form):
    """The filters above a moderation queue (GET parameters)."""

    q = forms.CharField(label="Text", required=False, max_length=200)
    article = forms.IntegerField(label="Article id", required=False, min_value=1)
    section = forms.ChoiceField(label="Section", required=False)
    author = forms.CharField(
        label="Author", required=False, max_length=254, help_text="E-mail address or username."
    )
    since = forms.DateField(label="From", required=False, widget=forms.DateInput({"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput({"type": "date"}))
    order = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[("", "Newest first"), ("oldest", "Oldest first")],
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", "All sections")] + [
            (section.slug, section.name) for section in sections
        ]
        for name in ("q", "author"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["q"].widget.attrs["type"] = "search"

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        for name in ("q", "author"):
            if "\x00" in data.get(name, ""):
                self.add_error(name, "Remove the NUL character.")
        return data


BAN_DURATIONS = [
    ("1", "1 day"),
    ("3", "3 days"),
    ("7", "7 days"),
    ("30", "30 days"),
    ("90", "90 days"),
    ("", "Until lifted (a ban)"),
]


class BanForm(forms.Form):
    kind = forms.ChoiceField(
        label="Ban by",
        widget=forms.RadioSelect,
        choices=[
            ("account", "Account"),
            ("email", "E-mail address"),
            ("network", "IP address or network"),
        ],
        error_messages={"required": "Choose what to ban: an account, an address or a network."},
    )
    username = forms.CharField(label="Username", required=False, max_length=150)
    email = forms.CharField(label="E-mail address", required=False, max_length=254)
    network = forms.CharField(
        label="IP address or network",
        required=False,
        max_length=50,
        help_text="One address (203.0.113.9), or a network in CIDR form (203.0.113.0/24).",
    )
    duration = forms.ChoiceField(label="For", choices=BAN_DURATIONS, required=False, initial="7")
    reason = forms.CharField(label="Reason (for moderators only)", required=False, max_length=255)
    comment = forms.IntegerField(widget=forms.HiddenInput, required=False)
    also_spam = forms.BooleanField(
        label="Also file this comment as spam", required=False, initial=True
    )

    def clean(self):
        from django.contrib.auth import get_user_model

        from . import services

        data = super().clean()
        kind = data.get("kind")
        if not kind:
            return data
        user = None
        if kind == "account":
            User = get_user_model()
            username = data.get("username", "").strip()
            user = User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).first()
            if user is None:
                self.add_error("username", "No account has this username.")
                return data
        try:
            data["user"], data["email"], data["network"] = services.clean_ban_target(
                kind=kind,
                user=user,
                email=data.get("email", ""),
                network=data.get("network", ""),
            )
        except forms.ValidationError as error:
            field = {"account": "username", "email": "email", "network": "network"}[kind]
            self.add_error(field, error.messages[0])
        return data


class WordRuleForm(forms.Form):
    phrase = forms.CharField(
        label="Word or phrase",
        max_length=100,
        help_text="Whole words, any case or accents. End with * to match any ending (scam*).",
    )
    kind = forms.ChoiceField(
        label="What it does",
        choices=[
            ("suspect", "Suspect: hold the comment for review"),
            ("banned", "Banned: reject the comment"),
        ],
    )
    note = forms.CharField(label="Note (for moderators)", required=False, max_length=200)

    def clean_phrase(self) -> str:
        from .wordrules import rule_key

        phrase = self.cleaned_data["phrase"]
        if "\x00" in phrase or not rule_key(phrase):
            raise forms.ValidationError("Give a word or phrase made of letters or digits.")
        return phrase


class SubscribeForm(forms.Form):
    """Follow an article's discussion without commenting."""

    article = forms.IntegerField(widget=forms.HiddenInput)
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        error_messages={
            "required": "Give the e-mail address where you want the notifications.",
            "invalid": "Enter a valid e-mail address, like name@example.com.",
        },
    )


class ManageLinkForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        error_messages={
            "required": "Give the address that receives the notifications.",
            "invalid": "Enter a valid e-mail address, like name@example.com.",
        },
    )


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label="How to send them",
        widget=forms.RadioSelect,
        choices=Subscriber.Delivery.choices,
    )
