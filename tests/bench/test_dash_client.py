"""The benchmark client's server time: per wave the slowest request, summed over waves."""

import math

from bench.dash_client import Timing, server_time


def test_server_time_is_the_critical_path_over_waves():
    timings = [Timing("a", 0.050, 200, 0.030, 0), Timing("b", 0.080, 200, 0.060, 0),
               Timing("c", 0.020, 200, 0.010, 1)]
    assert math.isclose(server_time(timings), 0.070)  # max(30, 60) + 10 ms
    assert server_time([]) == 0
    # a request's client time (decoding the body) is not server time
    assert server_time([Timing("a", 0.5, 200, 0.1, 3)]) == 0.1
