"""The closing sentences in words (bmdsim.output.answers): they state the answer, the
numbers it rests on and the caveat that decides it, and never a Python repr."""

from __future__ import annotations

from bmdsim.output.answers import (
    coverage_answer,
    effectiveness_answer,
    engagement_answer,
    trajectory_answer,
)


def _window(site, interceptor, feasible, first=None, shots=0, reason=None, text=None):
    return {
        "site": site,
        "interceptor": interceptor,
        "feasible": feasible,
        "first_intercept_s": first,
        "shots": shots,
        "reason": reason,
        "reason_text": text,
    }


def test_engagement_answer_names_the_batteries_and_the_caveat():
    s = {
        "threat": {"label": "yars"},
        "windows": [
            _window("redzikowo", "sm-3-iia", True, 612.0, 2),
            _window("redzikowo", "sm-3-ib", False, reason="too-slow", text="too slow"),
        ],
    }
    text = engagement_answer(s, "burnout")
    assert text.startswith("In words: 1 of 2 batteries could intercept yars")
    assert "redzikowo:sm-3-iia" in text and "612 s" in text and "2 shot opportunities" in text
    assert "no kill probability" in text and "burnout" in text


def test_engagement_answer_when_none_can_gives_the_commonest_reason():
    s = {
        "threat": {"label": "yars"},
        "windows": [
            _window("a", "x", False, reason="r1", text="launched too late"),
            _window("b", "x", False, reason="r1", text="launched too late"),
            _window("c", "x", False, reason="r2", text="out of reach"),
        ],
    }
    text = engagement_answer(s, None)
    assert "no battery could intercept yars: launched too late." in text
    assert "None" not in text


def test_trajectory_coverage_and_effectiveness_answers():
    t = trajectory_answer(
        {
            "missile": "rs-24-yars",
            "range_km": 7894.2,
            "flight_time_s": 1698.0,
            "shape": "minimum-energy",
            "apogee_km": 1157.0,
        },
        "teykovo",
        "washington-dc",
    )
    assert "7,894 km from teykovo to washington-dc in 28.3 min" in t
    rings = [
        {"target_altitude_km": 1.0, "radius_km": 75.0, "limited_by": "radar horizon"},
        {"target_altitude_km": 10.0, "radius_km": 285.0, "limited_by": "interceptor reach"},
    ]
    c = coverage_answer({"rings": rings}, "S-400 near Baranovichi")
    assert "10 km altitude out to 285 km (interceptor reach)" in c
    assert "1 km only out to 75 km (radar horizon)" in c
    e = effectiveness_answer(10, 0.4, 0.6648, 0.8, 2, 1)
    assert "about 0.4 get through" in e and "66 %" in e and "Pk of 0.8" in e
    assert "2 shot(s)" in e
