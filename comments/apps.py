from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"

    def ready(self) -> None:
        from accounts import pages
        from accounts.signals import display_name_changed
        from articles.signals import article_body_changed

        from . import privacy  # also registers the privacy providers
        from .feedback import reanchor_on_body_change
        from .queues import pending_count

        # The masthead's "Moderation" link, with the number of held comments.
        pages.staff_link(
            "moderation",
            label="Moderation",
            url_name="moderation:home",
            permission="comments.moderate_comments",
            order=10,
            count=pending_count,
        )

        article_body_changed.connect(
            reanchor_on_body_change, dispatch_uid="comments.feedback.reanchor"
        )
        # Comments are signed with the reader's current display name.
        display_name_changed.connect(
            privacy.rename_comments, dispatch_uid="comments.privacy.rename_comments"
        )
