"""Accounts that existed before allauth: record their e-mail as verified, give them a profile.

They were made by administrators (there was no sign-up before), so their
addresses are trusted; without this, the first sign-in after the upgrade
would wait for a verification e-mail. Reversing leaves the rows in place:
they are harmless without this app.
"""

import secrets

from django.db import migrations

PUBLIC_ID_CHARS = "abcdefghjkmnpqrstuvwxyz23456789"


def provision(apps, schema_editor):
    User = apps.get_model("auth", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    ReaderProfile = apps.get_model("accounts", "ReaderProfile")
    taken = {e.lower() for e in EmailAddress.objects.values_list("email", flat=True)}
    for user in User.objects.filter(reader_profile__isnull=True).order_by("pk").iterator():
        email = (user.email or "").strip().lower()
        if email and email not in taken and not EmailAddress.objects.filter(user=user).exists():
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            taken.add(email)
        name = " ".join(f"{user.first_name} {user.last_name}".split()) or "Reader"
        ReaderProfile.objects.create(
            user=user,
            display_name=name[:50],
            public_id="".join(secrets.choice(PUBLIC_ID_CHARS) for _ in range(10)),
            avatar_seed=secrets.token_hex(8),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_reader_profiles_and_closed_accounts"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(provision, migrations.RunPython.noop)]
