from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project itself, installed as an app for its cross-app commands (``demo``)."""

    name = "newsroom"
    verbose_name = "Newsroom"
