"""Why a change to the knowledge base is refused, by kind. The message is a
``model.messages.Message`` (English, translatable); the web app alone decides which HTTP
status each kind answers with (``webapp/errors.py``), the command line prints the message.
"""
from __future__ import annotations

from typing import Mapping


class PublishError(ValueError):
    """A change that cannot be made. ``errors`` maps form fields to messages."""

    def __init__(self, message: str, errors: Mapping[str, str] | None = None):
        super().__init__(message)
        self.errors = dict(errors or {})


class InvalidChange(PublishError):
    """What was sent needs correcting: a field, an empty text, front matter that would not read back."""


class BadRequest(PublishError):
    """A request no form sends (an unknown status, a history entry naming a path outside the corpus)."""


class NotFound(PublishError):
    """No such document or history entry."""


class Conflict(PublishError):
    """The change collides with the corpus as it is now: a file or id taken, a newer version."""


class DuplicateText(Conflict):
    """The same text is already in the knowledge base: ``duplicate`` names that document."""

    def __init__(self, message: str, duplicate: Mapping[str, str]):
        super().__init__(message)
        self.duplicate = dict(duplicate)
