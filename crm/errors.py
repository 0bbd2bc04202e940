"""Domain errors raised by use cases; the web layer turns them into messages or HTTP codes."""

from __future__ import annotations

__all__ = ["Conflict", "DomainError", "Forbidden", "Invalid", "NotFound", "PossibleDuplicates"]


class DomainError(Exception):
    """Base class of the errors a use case raises on purpose."""


class NotFound(DomainError):
    """No such record, or none the actor may see (the two are not told apart)."""


class Forbidden(DomainError):
    """The actor may see the record but not do this to it."""


class Conflict(DomainError):
    """The record changed since it was read, or the change collides with another record."""

    def __init__(self, message: str, current: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.current = current or {}


class Invalid(DomainError):
    """Input refused; ``errors`` maps a field name ('' for the whole form) to a French message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class PossibleDuplicates(Invalid):
    """Records of the actor's scope look like the one being created: nothing was written.

    ``candidates`` lists them (``crm.duplicates_at_save``); the caller shows them and may
    submit again with ``confirm_duplicate`` holding their uids ("créer quand même").
    """

    def __init__(self, kind: str, candidates: list[dict]) -> None:
        super().__init__(
            {
                "": "Des fiches semblables sont déjà enregistrées : ouvrez-en une, ou confirmez "
                "la création."
            }  # fmt: skip
        )
        self.kind = kind
        self.candidates = candidates
