"""The project app's models: the WordPress importer's memory (see newsroom/wordpress/models.py)."""

from .wordpress.models import WordPressComment, WordPressPost

__all__ = ["WordPressComment", "WordPressPost"]
