"""One error type for rule violations, shared by forms, the importer and the API."""

from __future__ import annotations


class ValidationError(Exception):
    """Carries (field, message) pairs; messages are user-facing and already translated."""

    def __init__(self, errors: list[tuple[str, str]] | str, field: str = ""):
        if isinstance(errors, str):
            errors = [(field, errors)]
        self.errors = errors
        super().__init__("; ".join(f"{f}: {m}" if f else str(m) for f, m in errors))

    def as_dict(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for field, message in self.errors:
            out.setdefault(field or "_", []).append(str(message))
        return out
