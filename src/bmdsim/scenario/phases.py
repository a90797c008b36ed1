"""The phases of ``bmdsim run`` (``scenario.run``), timed: wall clock and CPU seconds
of each (``PhaseClock``), and the report section that lists them."""

from __future__ import annotations

import time
from contextlib import contextmanager

# The phases of a run, in order: what each one times.
PHASES = {
    "reach": "reach footprints (maximum range on every azimuth, site flight times)",
    "threats": "every threat aimed at its target and flown at central values",
    "engagements": "central-value engagements (flyout tables, cueing, windows)",
    "coverage": "air-defence coverage rings",
    "tables": "the sampled part's precompute: flyout-table ladders, radar geometry",
    "samples": "drawing the samples, the engagement rule per sample, writing the store; "
    "P(in reach) of sampled reach analyses",
    "store": "reading the store back: probabilities, spreads, sensitivities",
    "report": "summary.json, the CZML scene, figures and the HTML report",
}


class PhaseClock:
    """Seconds spent in each phase of a run: wall clock (``seconds``) and this process's
    CPU time, all its threads (``cpu_seconds``: on a machine shared with other work, the
    steadier figure; pool workers' CPU is not in it). A phase entered twice adds up."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0
            self.cpu_seconds[name] = self.cpu_seconds.get(name, 0.0) + time.process_time() - c0


def timing_section(res):
    """The report's 'Run time by phase' section of a ``run.RunResult``."""
    from bmdsim.output import report

    t = res.timing()
    phases = t["phases_s"]
    slowest = max(phases, key=phases.get) if phases else None
    text = (
        f"Up to the report, this run took {t['total_s']:,.1f} s on the {t['backend']} backend"
        + (f", {t['samples']:,} samples on the {t['executor']} executor" if t["samples"] else "")
        + (f"; the longest phase was {slowest} ({phases[slowest]:,.1f} s)." if slowest else ".")
        + " Wall-clock seconds of this machine at this load: they vary from run to run. "
        "summary.json's timing adds the report's own phase."
    )
    rows = [{"phase": k, "seconds": round(v, 2), "what": PHASES[k]} for k, v in phases.items()]
    return report.ReportSection("Run time by phase", text=text, tables=[rows])


__all__ = ["PHASES", "PhaseClock", "timing_section"]
