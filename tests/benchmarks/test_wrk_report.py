"""Reading wrk's report: answers that are not 2xx/3xx, and socket errors, count as errors, not as answers."""

import pytest
from benchmarks.saturation import parse_wrk

REPORT = """Running 8s test @ http://127.0.0.1:40123/v1/sectors
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.61ms  812.00us  21.30ms   91.20%
    Req/Sec     3.10k   210.11     3.40k    80.00%
  Latency Distribution
     50%    2.45ms
     75%    2.80ms
     90%    3.30ms
     99%    1.20s
  24800 requests in 8.00s, 9.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 15
Requests/sec:   3100.00
"""


def test_errors_are_taken_out_of_the_answers_and_latencies_are_read_in_milliseconds() -> None:
    measured = parse_wrk(REPORT)
    assert measured.errors == 20
    assert measured.requests == 24_780
    assert measured.seconds == pytest.approx(8.0)
    assert measured.per_s == pytest.approx(3097.5)
    assert measured.p50_ms == pytest.approx(2.45)
    assert measured.p99_ms == pytest.approx(1200.0)


def test_a_report_without_a_request_count_is_refused() -> None:
    with pytest.raises(RuntimeError, match="wrk failed"):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")
