"""Seed the four article types and the Editors and Moderators groups."""

from django.db import migrations

ARTICLE_TYPES = [
    # slug, name, label, schema.org type, is_opinion
    ("news", "News", "", "NewsArticle", False),
    ("opinion", "Opinion", "Opinion", "OpinionNewsArticle", True),
    ("analysis", "Analysis", "Analysis", "AnalysisNewsArticle", False),
    ("interview", "Interview", "Interview", "NewsArticle", False),
]

EDITOR_MODELS = {
    "articles": [
        "article", "articletype", "articlenote", "articleslugredirect", "author", "byline",
        "disclaimer", "image", "pullquote", "section", "transcriptturn",
    ],
    "taggit": ["tag", "taggeditem"],
}  # fmt: skip


def _ensure_permissions(apps):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; create them now
    # so the groups can be given theirs. (Migration app configs are stubs
    # without ``models_module``, which create_permissions checks.)
    for app_label in ("articles", "taggit"):
        app_config = apps.get_app_config(app_label)
        stub = getattr(app_config, "models_module", None) is None
        if stub:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if stub:
            app_config.models_module = None


def seed(apps, schema_editor):
    ArticleType = apps.get_model("articles", "ArticleType")
    for slug, name, label, schema_type, is_opinion in ARTICLE_TYPES:
        ArticleType.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "label": label,
                "schema_type": schema_type,
                "is_opinion": is_opinion,
            },
        )

    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for app_label, models in EDITOR_MODELS.items():
        for model in models:
            editors.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, content_type__model=model
                )
            )
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    # Moderators read articles (to judge comments in context) but never change them.
    moderators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=["view_article", "view_section", "view_author"],
        )
    )


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Moderators"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
