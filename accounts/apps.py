from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Reader accounts and privacy"

    def ready(self) -> None:
        # Connect the allauth/auth signal receivers, add our part of
        # /session.json and the privacy providers the accounts app itself owns.
        from . import providers, receivers, session  # noqa: F401
