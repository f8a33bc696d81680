"""Editors place questions on passages: give the Editors group the permissions."""

from django.db import migrations


def _ensure_permissions(apps):
    from django.contrib.auth.management import create_permissions

    # As in 0002: migration app configs are stubs that create_permissions skips.
    app_config = apps.get_app_config("articles")
    stub = getattr(app_config, "models_module", None) is None
    if stub:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    if stub:
        app_config.models_module = None


def grant(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", content_type__model="passagequestion"
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="articles", content_type__model="passagequestion"
            )
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_passage_questions")]

    operations = [migrations.RunPython(grant, revoke)]
