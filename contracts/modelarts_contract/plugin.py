"""The pytest plugin (``pytest11`` entry point): run the contract inside a server's own test run.

``pytest --pyargs modelarts_contract --contract-base-url URL --contract-project-id P
--contract-token T [--contract-state-url URL] …`` collects one test per clause from
:mod:`modelarts_contract.test_contract`; JUnit comes from pytest's own ``--junitxml``. Without
``--contract-base-url`` those tests skip, and the plugin changes nothing else in a test run.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, cast

import pytest

from .config import DEFAULT_MAX_EXAMPLES, DEFAULT_TIMEOUT, PYTEST_PLUGIN
from .contract_run import RunOptions, build_run
from .errors import UsageError

if TYPE_CHECKING:
    from .runner import RunReport

_OPTIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        "--contract-base-url",
        {"help": "root URL of the server under test (enables the contract tests)"},
    ),
    ("--contract-project-id", {"help": "project the credentials act on"}),
    ("--contract-token", {"help": "IAM token, sent as X-Auth-Token (default: $MODELARTS_TOKEN)"}),
    ("--contract-ak", {"help": "access key for AK/SK signing (default: $HUAWEICLOUD_SDK_AK)"}),
    ("--contract-sk", {"help": "secret key for AK/SK signing (default: $HUAWEICLOUD_SDK_SK)"}),
    ("--contract-state-url", {"help": "provider-state endpoint"}),
    (
        "--contract-other-project-id",
        {"help": "a project whose jobs the credentials must not touch"},
    ),
    (
        "--contract-max-examples",
        {"type": int, "default": DEFAULT_MAX_EXAMPLES, "help": "T1's budget"},
    ),
    ("--contract-seed", {"type": int, "help": "seed for generated data"}),
    (
        "--contract-timeout",
        {"type": float, "default": DEFAULT_TIMEOUT, "help": "seconds per request"},
    ),
    ("--contract-workers", {"type": int, "default": 1, "help": "cases of a clause run at once"}),
    ("--contract-clause", {"action": "append", "default": [], "help": "run only this clause"}),
    (
        "--contract-strict",
        {"action": "store_true", "help": "a clause short of a full pass fails its test"},
    ),
    ("--contract-replay-dir", {"help": "write failures' replay files here"}),
)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the ``--contract-*`` options."""
    group = parser.getgroup("modelarts-contract", "ModelArts contract suite")
    for name, kwargs in _OPTIONS:
        group.addoption(name, dest=name.lstrip("-").replace("-", "_"), **kwargs)


def contract_options(config: pytest.Config) -> RunOptions | None:
    """The run as the ``--contract-*`` options describe it; ``None`` without a base URL."""
    base_url = config.getoption("contract_base_url")
    if not base_url:
        return None
    return RunOptions(
        base_url=base_url,
        project_id=config.getoption("contract_project_id"),
        token=config.getoption("contract_token"),
        access_key=config.getoption("contract_ak"),
        secret_key=config.getoption("contract_sk"),
        state_url=config.getoption("contract_state_url"),
        other_project_id=config.getoption("contract_other_project_id"),
        max_examples=config.getoption("contract_max_examples"),
        seed=config.getoption("contract_seed"),
        timeout=config.getoption("contract_timeout"),
        workers=config.getoption("contract_workers"),
        clauses=tuple(config.getoption("contract_clause")),
        strict=config.getoption("contract_strict"),
        replay_dir=config.getoption("contract_replay_dir"),
        door=PYTEST_PLUGIN,
    )


@pytest.fixture(scope="session")
def contract_report(request: pytest.FixtureRequest) -> RunReport:
    """The whole contract run once per test session; each clause's test reads its result."""
    options = contract_options(request.config)
    if options is None:
        pytest.skip("no --contract-base-url: the contract is not run")
    # Imported here: every pytest run in the environment loads this plugin, and schemathesis
    # changes hypothesis' printing in the process it is imported into.
    from .report import write_replays

    try:
        run = build_run(options, os.environ)
    except UsageError as error:
        raise pytest.UsageError(str(error)) from None
    with run:
        report = run.execute(progress=None)
        if report.exit_code == 1:
            try:
                report.replay_files = write_replays(report, run.replay_directory())
            except OSError:
                pass  # the failures then point at a rerun of their clauses instead
    return report


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Give each clause's test the clause's own time (pytest's JUnit ``time``, ``--durations``).

    The whole run happens while the first test sets up the session fixture; left alone, that
    test would carry the run's time and every other test none.
    """
    outcome = yield
    if not isinstance(item, pytest.Function) or item.module.__name__ != _CLAUSE_TESTS:
        return
    test_report: pytest.TestReport = outcome.get_result()
    if test_report.when == "setup":
        test_report.duration = 0.0
        return
    run = cast("RunReport | None", item.funcargs.get("contract_report"))
    if test_report.when == "call" and run is not None:
        clause_id = item.callspec.params.get("clause_id")
        result = next((r for r in run.results if r.clause.id == clause_id), None)
        test_report.duration = result.seconds if result is not None else 0.0


#: The module of the one-test-per-clause tests.
_CLAUSE_TESTS = "modelarts_contract.test_contract"
