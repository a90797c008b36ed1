"""A property-based fuzz of the OpenAPI schema (schemathesis): requests generated from
/openapi.json against the app served on 127.0.0.1; no answer may be a 5xx and every
documented answer must fit its schema. Bounded to about a minute: a dozen generated
requests per operation (schemathesis' pytest plugin does not run under pytest 9, so the
operations are walked here with hypothesis directly)."""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

pytestmark = [pytest.mark.web, pytest.mark.slow]
EXAMPLES = 25


def test_no_generated_request_gets_a_server_error(live_server):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/openapi.json")
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 20
    failures, counts = [], {}
    t0 = time.perf_counter()
    for op in operations:
        counts[op.label] = 0

        @given(case=op.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case):
            counts[case.operation.label] += 1
            case.call_and_validate(
                checks=[not_a_server_error, response_schema_conformance], timeout=150
            )

        try:
            check()
        except Exception as exc:  # noqa: BLE001 - gather every operation's failure
            failures.append(f"{op.label}: {exc}")
    seconds = time.perf_counter() - t0
    n = sum(counts.values())
    print(f"fuzzed {n} requests over {len(operations)} operations in {seconds:.0f} s")
    assert not failures, "\n\n".join(failures)
