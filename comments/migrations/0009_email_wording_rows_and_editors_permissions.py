"""One row per kind of notification e-mail (empty: default wording), editable by Editors."""

from django.db import migrations

KINDS = ["confirm", "manage", "comment", "reply", "digest", "moderation"]
EDITOR_PERMISSIONS = ["view_emailtemplate", "change_emailtemplate"]


def create(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    EmailTemplate = apps.get_model("comments", "EmailTemplate")
    for kind in KINDS:
        EmailTemplate.objects.get_or_create(kind=kind)
    app_config = apps.get_app_config("comments")
    stub = getattr(app_config, "models_module", None) is None
    if stub:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    if stub:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments", codename__in=EDITOR_PERMISSIONS
        )
    )


def remove(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="comments", codename__in=EDITOR_PERMISSIONS
            )
        )
    apps.get_model("comments", "EmailTemplate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0008_thread_mutes_email_wording_and_moderator_alerts"),
        ("articles", "0002_article_types_and_roles"),
    ]

    operations = [migrations.RunPython(create, remove)]
