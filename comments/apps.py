from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"

    def ready(self) -> None:
        from articles.signals import article_body_changed

        from . import privacy  # noqa: F401 -- registers the privacy providers
        from .feedback import reanchor_on_body_change

        article_body_changed.connect(
            reanchor_on_body_change, dispatch_uid="comments.feedback.reanchor"
        )
