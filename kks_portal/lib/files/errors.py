"""The one refusal of an uploaded file, shared by every app that takes files."""

from __future__ import annotations


class UploadRefused(Exception):
    """A file the portal will not take, with a ``code`` for the API and a message for the user."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
