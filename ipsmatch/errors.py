"""The ipsmatch error tree.

Every error the library raises on purpose derives from :class:`IpsmatchError`. The CLI maps
them to a one-line message (which says how to fix the problem) and an exit code; user errors
never show a traceback.

    IpsmatchError                 root; ``exit_code`` 1
    ├── UsageError                bad option or argument value; exit 2
    │   └── ConfigError           bad setting (env var, --db URL, model dir)
    ├── InputError                a user-supplied file or record is wrong
    │   ├── FeedError             one bad record in a feed: file, line/record, field
    │   ├── FeedReadError         a whole feed file cannot be read or parsed
    │   ├── ProfileError          a citizen profile file/record is wrong
    │   ├── PrivacyError          personal data that must not be stored (e.g. a CPR number)
    │   └── ConsentError          the citizen said no (or was not asked) to what was asked
    ├── NotFoundError             an id that is not in the store; exit 2
    ├── StoreError                the database cannot be used as asked
    │   └── SchemaError           database missing, too old or too new: run ``ipsmatch init``
    ├── IndexNotReadyError        a search index is missing, stale, corrupt or not fitted
    └── ModelUnavailableError     an optional model or extra is not installed

An error may carry a ``code`` and its ``params`` (``ProfileError(code="value.range",
field="hours.max", params={"lo": 1, "hi": 60, "value": 70})``): its English ``message`` and
``hint`` then come from :data:`ipsmatch.messages.MESSAGES`, and the workspace shows it in the
user's language (:func:`ipsmatch.messages.error_line`). Message and hint are what the CLI and
the API show, with or without a code.
"""

from __future__ import annotations

from typing import Any

from ipsmatch import messages


class IpsmatchError(Exception):
    """Root of all ipsmatch errors. ``hint`` says how to fix it, when we know.

    Give either ``message`` (English) or a ``code`` from :data:`ipsmatch.messages.MESSAGES`
    with its ``params``; with a code and no message, message and hint are the code's
    English text."""

    exit_code = 1

    def __init__(self, message: str | None = None, *, hint: str | None = None,
                 code: str | None = None, params: dict[str, Any] | None = None) -> None:
        self.code = code
        self.params: dict[str, Any] = dict(params or {})
        if message is None:
            if code is None:
                raise TypeError("an IpsmatchError needs a message or a code")
            message, code_hint = messages.english(code, self.params)
            hint = code_hint if hint is None else hint
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class UsageError(IpsmatchError):
    """A bad option or argument value."""

    exit_code = 2


class ConfigError(UsageError):
    """A bad setting (environment variable, database URL, model directory)."""


class InputError(IpsmatchError):
    """A user-supplied file or record is wrong."""


class FeedError(InputError):
    """One bad record in a feed file.

    ``location`` is ``"line 12"`` or ``"record #3"``; the string form is
    ``file:line 12: field: what is wrong``.
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        file: str | None = None,
        line: int | None = None,
        record: int | None = None,
        field: str | None = None,
        hint: str | None = None,
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, hint=hint, code=code, params=params)
        self.file = file
        self.line = line
        self.record = record
        self.field = field

    @property
    def location(self) -> str:
        if self.line is not None:
            return f"line {self.line}"
        if self.record is not None:
            return f"record #{self.record}"
        return ""

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.location) if p]
        where = ":".join(parts)
        text = self.message if not self.field else f"{self.field}: {self.message}"
        if self.hint:
            text = f"{text} ({self.hint})"
        return f"{where}: {text}" if where else text


class FeedReadError(InputError):
    """A whole feed file cannot be read or parsed; nothing from it is used."""

    def __init__(self, message: str, *, file: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.file = file

    def __str__(self) -> str:
        base = f"{self.file}: {self.message}"
        return f"{base} ({self.hint})" if self.hint else base


class ProfileError(InputError):
    """A citizen profile is wrong: ``field`` names the offending key.

    Every ProfileError ipsmatch raises has a ``code`` (tests/test_messages.py checks it), so
    the workspace can show it in Danish."""

    def __init__(
        self, message: str | None = None, *, field: str | None = None,
        file: str | None = None, hint: str | None = None, code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, hint=hint, code=code, params=params)
        self.field = field
        self.file = file

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}" if self.field else self.message
        if self.file:
            text = f"{self.file}: {text}"
        return f"{text} ({self.hint})" if self.hint else text


class PrivacyError(InputError):
    """Input holds personal data ipsmatch refuses to store (e.g. a CPR number)."""


class ConsentError(InputError):
    """The citizen's disclosure choice forbids it: an employer contact about a citizen who
    said no, or an employer-facing text for one who was not asked yet."""


class NotFoundError(IpsmatchError):
    """An id that is not in the store (exit 2: the user asked for something not there)."""

    exit_code = 2


class StoreError(IpsmatchError):
    """The database cannot be used as asked."""


class SchemaError(StoreError):
    """The database is missing, or its schema is older/newer than this ipsmatch."""


class IndexNotReadyError(IpsmatchError):
    """A search index (or the matcher's columns) cannot be used yet: missing on disk, stale,
    corrupt, or not fitted."""


class ModelUnavailableError(IpsmatchError):
    """An optional model file or extra is not installed."""
