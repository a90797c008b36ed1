"""The doctrine section of the catalogue: firing-rule and cueing defaults, cited and banded.

The physics takes delays, latencies and inventories as plain arguments; the numbers an
analysis uses when the user gives none live here (``doctrine.yaml``), each a
:class:`~bmdsim.catalogue.schema.Quantity` with its source, band and grade, so that every
default that decides an engagement is cited, and a scenario that varies
``cueing.decision_delay_s`` or ``cueing.assessment_delay_s`` draws from its band.
``analyses/resolve.py`` reads them (``default_doctrine``, ``notional_inventory``,
``report_latency_s``); the physics never imports the catalogue.

``used_by`` names what reads the entry, for a reader tracing a number back to its use.
"""

from __future__ import annotations

from pydantic import Field

from bmdsim.catalogue.schema import EntryId, Quantity, _Model

__all__ = ["DOCTRINE_IDS", "DoctrineEntry"]

# The entries the analyses read (analyses/resolve.py); the shipped doctrine.yaml must hold
# each (tests/unit/catalogue/test_doctrine.py).
DOCTRINE_IDS = (
    "decision-delay",
    "assessment-delay",
    "early-warning-report-latency",
    "notional-battery-inventory",
)


class DoctrineEntry(_Model):
    """One doctrine default: a cited quantity and what it stands for."""

    id: EntryId
    name: str
    aliases: list[str] = Field(default_factory=list)
    summary: str
    quantity: Quantity
    used_by: str = Field(description="what reads it, e.g. 'Doctrine.decision_delay_s'")
    notes: str | None = None

    @property
    def si(self) -> float:
        """The central value in SI units."""
        return self.quantity.si
