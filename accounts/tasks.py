"""Background tasks of the accounts app (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def purge_personal_data() -> dict[str, int]:
    """Erase personal data that is no longer needed (see accounts/privacy.py).

    The same work as ``manage.py purge_personal_data``, for running on the
    task worker: ``purge_personal_data.enqueue()``.
    """
    return services.personal_data_purge()
