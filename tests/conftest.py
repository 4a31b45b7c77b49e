"""Test-run set-up and reporting: how many common checks ran, and how many passed."""

import os
from collections import Counter, defaultdict

# scikit-learn's check_array_api_input runs only when SciPy's array API
# support is on, which must be set before SciPy is first imported.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

_COMMON = {
    "test_sklearn_compatible_estimator": "scikit-learn",
    "test_imblearn_compatible_sampler": "imbalanced-learn",
}
_outcomes = defaultdict(Counter)
_estimators = defaultdict(set)


def pytest_runtest_logreport(report):
    name = report.nodeid.split("::")[-1].split("[")[0]
    suite = _COMMON.get(name)
    if suite is None:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        outcome = "xfailed" if hasattr(report, "wasxfail") else report.outcome
        _outcomes[suite][outcome] += 1
        estimator = report.nodeid.split("[", 1)[1].split("(", 1)[0]
        _estimators[suite].add(estimator)


def pytest_terminal_summary(terminalreporter):
    for suite, counts in _outcomes.items():
        total = sum(counts.values())
        passed = counts["passed"]
        terminalreporter.write_line(
            f"{suite} common checks: {total} run on {len(_estimators[suite])} "
            f"estimators ({', '.join(sorted(_estimators[suite]))}): {passed} passed "
            f"({100.0 * passed / max(total, 1):.1f}%), {counts['xfailed']} expected "
            f"failures, {counts['failed']} failed, {counts['skipped']} skipped"
        )


def _hypothesis_profiles():
    """Profiles of tests/test_properties.py: "ci" (the default: 200 examples,
    the same ones at every run) and "long" (10,000), chosen by the
    HYPOTHESIS_PROFILE environment variable."""
    from hypothesis import HealthCheck, settings

    slow_data = [HealthCheck.too_slow, HealthCheck.data_too_large]
    settings.register_profile(
        "ci", max_examples=200, deadline=None, derandomize=True,
        suppress_health_check=slow_data,
    )
    settings.register_profile(
        "long", max_examples=10_000, deadline=None, suppress_health_check=slow_data
    )
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_hypothesis_profiles()
