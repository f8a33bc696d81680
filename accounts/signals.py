"""Signals the accounts app sends, for other apps to act on.

``accounts`` never imports the apps that listen (comments…); it announces
what happened and they react, as with ``articles/signals.py``.

display_name_changed
    Sent by ``services.profile_update`` when a reader's display name changed,
    inside its transaction, so what receivers write commits or rolls back with
    the profile (caches they keep are best invalidated with
    ``transaction.on_commit``). Arguments: ``user`` (whose name it is),
    ``display_name`` (the new name, cleaned), ``previous`` (the name it
    replaces).
"""

from django.dispatch import Signal

display_name_changed = Signal()
