"""The commands whose answers are kept in tests/golden/answers/ (the README's, with --json)."""

from __future__ import annotations

from pathlib import Path

COMMANDS = {
    "catalogue-list": ["catalogue", "list", "--json"],
    "catalogue-list-site": ["catalogue", "list", "--kind", "site", "--json"],
    "catalogue-show-ss-26": ["catalogue", "show", "SS-26", "--json"],
    "reach-iskander-m-kaliningrad": ["reach", "--missile", "iskander-m", "--from", "kaliningrad",
                                     "--json"],
    "reach-iskander-e-kaliningrad": ["reach", "--missile", "iskander-e", "--from", "kaliningrad",
                                     "--sites", "redzikowo,warsaw", "--json"],
    "reach-polonez": ["reach", "--missile", "polonez", "--from", "53.3,28.6", "--sites", "all",
                      "--json"],
    "reach-tu-22m3-kh-22": ["reach", "--carrier", "tu-22m3", "--missile", "kh-22", "--from",
                            "shaykovka", "--json"],
    "trajectory-kh-101-via": ["trajectory", "--missile", "kh-101", "--from", "shaykovka",
                              "--to", "ramstein", "--via", "57.0,22.0", "--json"],
    "trajectory-yars-lofted": ["trajectory", "--missile", "rs-24-yars", "--from", "teykovo",
                               "--to", "washington-dc", "--shape", "lofted", "--json"],
    "trajectory-iskander-apogee-60": ["trajectory", "--missile", "iskander-m", "--from",
                                      "kaliningrad", "--to", "redzikowo", "--shape", "apogee=60",
                                      "--json"],
    "coast-closed-form": ["coast", "--lat", "0", "--lon", "0", "--alt-km", "0", "--speed-kms",
                          "3", "--gamma-deg", "40", "--azimuth-deg", "90", "--earth", "sphere",
                          "--no-rotation", "--no-drag", "--json"],
    "engage-yars-redzikowo": ["engage", "--threat", "rs-24-yars", "--from", "teykovo", "--to",
                              "washington-dc", "-d", "redzikowo:sm-3-iia", "-d",
                              "redzikowo:sm-3-iib", "--cue-at", "burnout", "--json"],
    "engage-iskander-redzikowo": ["engage", "--threat", "iskander-m", "--from", "kaliningrad",
                                  "--to", "redzikowo", "-d", "redzikowo", "--json"],
    "engage-kalibr-s-400": ["engage", "--threat", "kalibr", "--from", "52.0,21.0", "--to",
                            "baranovichi-s-400-notional", "-d", "baranovichi-s-400-notional",
                            "--include-notional", "--json"],
    "flyout-sm-3-iia": ["flyout", "--interceptor", "sm-3-iia", "--json"],
    "coverage-s-400": ["coverage", "--site", "baranovichi-s-400-notional", "--json"],
    "coverage-deveselu-defended": ["coverage", "--site", "deveselu", "--threat", "iskander-m",
                                   "--from", "44.0,30.0", "--json"],
    "effectiveness": ["effectiveness", "--raid", "10", "--interceptor", "sm-3-iia", "--shots",
                      "2", "--looks", "2", "--inventory", "24", "--decoys", "2",
                      "--discrimination", "0.8", "--json"],
    "claim-lofted": ["claim", "lofted", "--range-km", "1000", "--apogee-km", "3700",
                     "--flight-time-min", "47", "--from", "Pyongyang", "--json"],
    "claim-flight-time-berlin": ["claim", "flight-time", "--missile", "iskander-m", "--from",
                                 "kaliningrad", "--to", "berlin", "--minutes", "3", "--json"],
    "claim-reach-gdansk": ["claim", "reach", "--missile", "iskander-m", "--from", "kaliningrad",
                           "--to", "Gdansk", "--json"],
}

# bmdsim run europe-2016 --samples 200 --seed 7: summary.json and the store's rows.
RUN_ARGS = ["run", "europe-2016", "--samples", "200", "--seed", "7"]


def store_rows(out: Path) -> list[dict]:
    """Every stored row, sorted, as plain JSON values (NaN as None)."""
    import math

    import duckdb

    con = duckdb.connect()
    rel = con.sql(f"SELECT * FROM read_parquet('{out}/store/parts/*.parquet')")
    cols = rel.columns
    rows = []
    for values in rel.fetchall():
        row = {}
        for c, v in zip(cols, values, strict=True):
            if isinstance(v, float) and math.isnan(v):
                v = None
            row[c] = v if isinstance(v, (int, float, str, bool, type(None))) else str(v)
        rows.append(row)
    key = [c for c in ("sample", "threat", "battery") if c in cols]
    rows.sort(key=lambda r: tuple(str(r[k]) for k in key))
    return rows
