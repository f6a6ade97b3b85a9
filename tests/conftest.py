"""Shared test configuration: hypothesis profiles.

`ci` (the default, used by `make test`) keeps the whole suite within a few minutes on 2 cores;
`thorough` (`make test-thorough`) searches much longer.
"""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci")
