"""Errors that bmdsim raises for its users.

BmdsimError                       anything a user did or asked that bmdsim cannot do
├── CatalogueError                a catalogue file or entry is invalid or uncited
│   └── UnknownEntryError         no missile/site/... has that id or alias
├── VehicleFileError              a user's vehicle YAML is malformed (file, line, field)
├── ScenarioError                 a scenario file is malformed or names what does not exist
├── InputError                    a command-line or API argument is out of range
├── UnreachableTargetError        the target lies beyond the missile's maximum range
└── StoreError                    a results store cannot be used as asked
    ├── StoreBusyError            another sweep holds the store's lock
    └── StoreMismatchError        the store holds results of another scenario or seed

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


class ScenarioError(BmdsimError):
    """A scenario file is malformed or names something that does not exist; the message
    names file, line, field and what is allowed."""


class StoreError(BmdsimError):
    """A results store cannot be used as asked."""


class StoreBusyError(StoreError):
    """Another sweep holds this store's lock."""


class StoreMismatchError(StoreError):
    """The store holds results of another scenario or seed: resuming would mix them."""
