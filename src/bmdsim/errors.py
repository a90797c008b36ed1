"""Errors that bmdsim raises for its users.

BmdsimError                       anything a user did or asked that bmdsim cannot do
├── CatalogueError                a catalogue file or entry is invalid or uncited
│   └── UnknownEntryError         no missile/site/... has that id or alias
├── VehicleFileError              a user's vehicle YAML is malformed (file, line, field)
├── InputError                    a command-line or API argument is out of range
└── UnreachableTargetError        the target lies beyond the missile's maximum range

Each carries ``field``, ``value`` and ``allowed`` so that the CLI can print one line
that says what was wrong and what is allowed, and exit with code 1.
"""

from __future__ import annotations


class BmdsimError(Exception):
    """Base class of every error bmdsim raises on purpose."""

    def __init__(self, message: str, *, field: str | None = None, value=None, allowed=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.value = value
        self.allowed = allowed

    def __str__(self) -> str:
        return self.message


class CatalogueError(BmdsimError):
    """A catalogue entry is invalid, or a number in it carries no source."""


class UnknownEntryError(CatalogueError):
    """No catalogue entry has that id or alias; ``allowed`` lists close matches."""


class VehicleFileError(BmdsimError):
    """A user's vehicle file is malformed; the message names file, line and field."""


class InputError(BmdsimError):
    """An argument is out of range or malformed."""


class UnreachableTargetError(BmdsimError):
    """The target is beyond the maximum range of the missile on that azimuth."""
