from __future__ import annotations

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError

from . import privacy, services
from .models import (
    BIO_MAX_LENGTH,
    DISPLAY_NAME_MAX_LENGTH,
    ReaderProfile,
    clean_display_name,
    validate_display_name,
    validate_reader_display_name,
)

DISPLAY_NAME_HELP = (
    "Shown with your comments instead of your e-mail address. You can change it later."
)


class DisplayNameField(forms.CharField):
    def __init__(self, *, for_staff: bool = False, **kwargs) -> None:
        self.for_staff = for_staff
        kwargs.setdefault("max_length", DISPLAY_NAME_MAX_LENGTH)
        kwargs.setdefault("label", "Display name")
        kwargs.setdefault("help_text", DISPLAY_NAME_HELP)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = clean_display_name(super().clean(value))
        if self.for_staff:
            validate_display_name(value)
        else:
            validate_reader_display_name(value)
        return value


class LoginForm(AllauthLoginForm):
    """allauth's sign-in, with labels instead of placeholders."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "E-mail address or username"
        self.fields["login"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (e-mail, password twice) plus the name others will see."""

    display_name = DisplayNameField()
    field_order = ["display_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mail address"
        self.fields["email"].help_text = (
            "We send a link to confirm it. It is never shown to anyone. If you commented "
            "as a guest with this address, those comments join your account."
        )
        self.fields["email"].widget.attrs.pop("placeholder", None)
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)

    def signup(self, request, user) -> None:
        # Called by allauth once the user row exists, in the sign-up request.
        services.profile_create(user=user, display_name=self.cleaned_data["display_name"])


class ProfileForm(forms.ModelForm):
    display_name = DisplayNameField()
    bio = forms.CharField(
        label="About you",
        required=False,
        max_length=BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Plain text, up to {BIO_MAX_LENGTH} characters. Shown on your public page.",
    )
    new_avatar = forms.BooleanField(
        label="Draw me a new avatar",
        required=False,
        help_text="Avatars are patterns drawn by this site; nothing is fetched from elsewhere.",
    )

    class Meta:
        model = ReaderProfile
        fields = ["display_name", "bio"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.fields["display_name"].for_staff = user.is_staff or user.is_superuser

    def save(self, commit: bool = True) -> ReaderProfile:
        return services.profile_update(
            profile=self.instance,
            display_name=self.cleaned_data["display_name"],
            bio=self.cleaned_data["bio"],
            new_avatar=self.cleaned_data["new_avatar"],
        )


class DeleteAccountForm(forms.Form):
    content = forms.TypedChoiceField(
        label="Your comments",
        choices=privacy.ContentChoice.choices,
        coerce=privacy.ContentChoice,
        widget=forms.RadioSelect,
        help_text="Replies other readers wrote stay in place either way.",
    )
    confirm = forms.BooleanField(
        label="I understand that my account cannot be restored.",
        error_messages={"required": "Tick the box to confirm that you want to delete it."},
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        if self.user is not None and (self.user.is_staff or self.user.is_superuser):
            raise ValidationError(
                "Staff accounts are closed by an administrator. Ask one to close yours."
            )
        return cleaned
