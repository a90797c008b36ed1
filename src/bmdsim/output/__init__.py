"""Results to files and pictures, one module per format.

``geojson`` (RFC 7946), ``kml`` (Google Earth), ``tables`` (CSV), ``summary`` (the
stable ``--json`` fields), ``plots`` and ``maps`` (matplotlib, offline, shipped Natural
Earth base map). Import the module you need: plots and maps pull in matplotlib, so
nothing is imported here. Files and fields: docs/outputs.md.
"""
