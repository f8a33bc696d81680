from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project itself, installed as an app for what spans apps.

    The ``demo`` and ``import_wordpress`` commands, and the WordPress
    importer's record of what each post and comment became (its models).
    """

    name = "newsroom"
    verbose_name = "Newsroom"
