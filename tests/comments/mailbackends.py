"""Mail backends that misbehave on purpose, for the delivery tests.

They deliver into ``django.core.mail.outbox`` like Django's test backend.
Configure one with ``settings.EMAIL_BACKEND = "tests.comments.mailbackends.…"``
and set its class attributes in the test.
"""

from __future__ import annotations

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """Refuses the next ``failures`` messages (as a dropped SMTP connection), then recovers."""

    failures = 0
    attempts = 0

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class WorkerKilled(BaseException):
    """Not an Exception: like SIGKILL, nothing in the worker may catch it."""


class DyingBackend(EmailBackend):
    """Accepts messages, and after ``accept`` of them the worker dies.

    The last message is accepted by the "mail server" but the worker dies
    before it can record that: the tiny window in which a message can go
    out twice.
    """

    accept = 2
    accepted = 0

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        DyingBackend.accepted += 1
        if DyingBackend.accepted > DyingBackend.accept:
            raise WorkerKilled
        return sent


class MeanwhileBackend(EmailBackend):
    """Runs ``meanwhile`` (once) while it sends a message: another worker's turn."""

    meanwhile = None

    def send_messages(self, messages):
        task, MeanwhileBackend.meanwhile = MeanwhileBackend.meanwhile, None
        if task is not None:
            task()
        return super().send_messages(messages)
