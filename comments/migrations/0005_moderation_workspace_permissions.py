"""Give the Moderators group the moderation workspace, bans, word rules, reports and log."""

from django.db import migrations

MODERATOR_PERMISSIONS = [
    "moderate_comments",
    "view_ban",
    "add_ban",
    "change_ban",
    "view_wordrule",
    "add_wordrule",
    "change_wordrule",
    "delete_wordrule",
    "view_report",
    "change_report",
    "view_moderationaction",
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("comments")
    stub = getattr(app_config, "models_module", None) is None
    if stub:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    if stub:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments", codename__in=MODERATOR_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="comments", codename__in=MODERATOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_moderation_models_and_queue_indexes"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
