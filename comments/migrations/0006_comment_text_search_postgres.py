"""On PostgreSQL, a full-text index for the moderation queues' text search.

The queues search comment text with ``to_tsvector('simple', body) @@
plainto_tsquery('simple', …)`` on PostgreSQL (see ``comments/queues.py``);
this GIN index makes that fast with millions of comments. SQLite searches
with LIKE and needs nothing. The expression here must stay identical to the
one in ``comments.queues.SEARCH_SQL``.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS comment_body_search ON comments_comment "
    "USING gin (to_tsvector('simple'::regconfig, body))"
)
DROP = "DROP INDEX IF EXISTS comment_body_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_moderation_workspace_permissions"),
    ]

    operations = [migrations.RunPython(create, drop)]
