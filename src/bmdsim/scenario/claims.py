"""Published flight-time claims set beside the physics.

A scenario's ``claims`` (``schema.FlightTimeClaim``) say how long someone said a missile
takes from one place to another ("Oreshnik from Belarus to London in eight minutes").
Each is set beside what the catalogue model flies on the same great circle: the
minimum-energy trajectory (the reach analysis' flight time: the least energy, BMW 6.2)
and the depressed one (full burn, the lowest path that still lands there: the shortest
flight of a ballistic missile, as the open literature compares it, e.g. Tracy & Wright,
Science & Global Security 28, 2020). The verdict compares the claim with the
depressed time, which no ballistic flight of the model beats.
"""

from __future__ import annotations

from dataclasses import dataclass

from bmdsim.analyses.flights import fly
from bmdsim.analyses.resolve import resolve_place
from bmdsim.earth import geodesic
from bmdsim.errors import BmdsimError

__all__ = ["ClaimCheck", "check_claims", "claims_section"]

SHAPES = ("minimum-energy", "depressed")
# A claim within this share of the model's fastest flight is "about what the model
# flies": the model's own band (range, payload) moves flight times by some per cent.
AGREEMENT = 0.15


@dataclass(frozen=True)
class ClaimCheck:
    """One claim and the model's flight times for it (None where a shape cannot reach)."""

    missile: str
    origin: str
    target: str
    distance_km: float
    claimed_s: float
    claimed_by: str
    source: str
    note: str
    minimum_energy_s: float | None
    depressed_s: float | None
    why_not: str  # why a shape gave no time ('' when both flew)

    @property
    def fastest_s(self) -> float | None:
        times = [t for t in (self.minimum_energy_s, self.depressed_s) if t is not None]
        return min(times) if times else None

    @property
    def verdict(self) -> str:
        """The claim in words against the model's fastest (depressed) flight."""
        fast = self.fastest_s
        if fast is None:
            return "the model cannot fly it: " + (self.why_not or "out of reach")
        ratio = self.claimed_s / fast
        if ratio < 1.0 - AGREEMENT:
            return f"{ratio:.0%} of the model's fastest flight: faster than the model can fly"
        if ratio <= 1.0 + AGREEMENT:
            return "about the model's fastest (depressed) flight"
        slow = self.minimum_energy_s or fast
        if self.claimed_s <= slow * (1.0 + AGREEMENT):
            return "between the model's depressed and minimum-energy flights"
        return "longer than the model's minimum-energy flight"

    def to_dict(self) -> dict:
        return {
            "missile": self.missile,
            "from": self.origin,
            "to": self.target,
            "distance_km": round(self.distance_km, 1),
            "claimed_s": self.claimed_s,
            "claimed_by": self.claimed_by,
            "source": self.source,
            "minimum_energy_s": None
            if self.minimum_energy_s is None
            else round(self.minimum_energy_s, 1),
            "depressed_s": None if self.depressed_s is None else round(self.depressed_s, 1),
            "verdict": self.verdict,
        }


def check_claims(claims, cat, backend="auto") -> list[ClaimCheck]:
    """Fly every claim's missile to its target on both shapes (central values)."""
    out = []
    for c in claims:
        a = resolve_place(c.origin, cat, what="launch")
        b = resolve_place(c.target, cat, what="target")
        distance_m = float(
            geodesic.inverse(
                lat1_deg=a.lat_deg, lon1_deg=a.lon_deg, lat2_deg=b.lat_deg, lon2_deg=b.lon_deg
            )[0]
        )
        times: dict[str, float | None] = {}
        why = []
        for shape in SHAPES:
            try:
                t = fly(
                    c.missile,
                    origin=c.origin,
                    target=c.target,
                    shape=shape,
                    backend=backend,
                    catalogue=cat,
                )
                times[shape] = float(t.flight_time_s)
            except BmdsimError as exc:
                times[shape] = None
                why.append(f"{shape}: {exc.message}")
        out.append(
            ClaimCheck(
                cat.missile(c.missile).id,
                c.origin,
                c.target,
                distance_m / 1e3,
                float(c.claimed_s),
                c.claimed_by,
                c.source,
                c.note,
                times["minimum-energy"],
                times["depressed"],
                "; ".join(why),
            )
        )
    return out


def _minutes(t: float | None) -> str:
    return "-" if t is None else f"{t / 60:.1f}"


def claims_section(checks: list[ClaimCheck]):
    """The report's section: the claims, the model's times, the verdict."""
    from bmdsim.output import report

    rows = [
        {
            "claim": f"{c.missile} {c.origin} -> {c.target}",
            "km": f"{c.distance_km:,.0f}",
            "claimed min": _minutes(c.claimed_s),
            "by [source]": f"{c.claimed_by} [{c.source}]",
            "model: minimum-energy min": _minutes(c.minimum_energy_s),
            "model: depressed min": _minutes(c.depressed_s),
            "verdict": c.verdict,
        }
        for c in checks
    ]
    faster = [c for c in checks if c.fastest_s is not None and c.verdict.endswith("can fly")]
    lead = (
        f"{len(faster)} of {len(checks)} published flight-time claims are shorter than any "
        "flight the catalogue model makes on the same great circle. "
        if checks
        else ""
    )
    text = (
        lead + "Model times are flights of the catalogue model at central values on the "
        "rotating WGS 84 Earth with drag, launch to impact: minimum-energy (the reach "
        "analysis' time) and depressed (full burn, the lowest path that lands there: the "
        "shortest a ballistic missile of this model flies). The model's internals are open "
        "estimates with wide bands (see the catalogue entry), so a claim within "
        f"{AGREEMENT:.0%} of the depressed time is 'about' it. Claims rarely name a launch "
        "point or a trajectory; each row states the one assumed."
    )
    return report.ReportSection("Claimed flight times beside the physics", text=text, tables=[rows])
