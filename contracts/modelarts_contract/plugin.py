"""The pytest plugin (``pytest11`` entry point): run the contract inside a server's own test run.

``pytest --pyargs modelarts_contract --contract-base-url URL --contract-project-id P
--contract-token T [--contract-state-url URL] …`` collects one test per clause from
:mod:`modelarts_contract.test_contract`; JUnit comes from pytest's own ``--junitxml``. Without
``--contract-base-url`` those tests skip, and the plugin changes nothing else in a test run.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import pytest

from .config import DEFAULT_MAX_EXAMPLES, DEFAULT_TIMEOUT, ContractConfig
from .credentials import AkSkCredentials, Credentials, TokenCredentials

if TYPE_CHECKING:
    from .runner import RunReport

_OPTIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        "--contract-base-url",
        {"help": "root URL of the server under test (enables the contract tests)"},
    ),
    ("--contract-project-id", {"help": "project the credentials act on"}),
    ("--contract-token", {"help": "IAM token, sent as X-Auth-Token"}),
    ("--contract-ak", {"help": "access key for AK/SK signing"}),
    ("--contract-sk", {"help": "secret key for AK/SK signing"}),
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
)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the ``--contract-*`` options."""
    group = parser.getgroup("modelarts-contract", "ModelArts contract suite")
    for name, kwargs in _OPTIONS:
        group.addoption(name, dest=name.lstrip("-").replace("-", "_"), **kwargs)


def contract_config(config: pytest.Config) -> ContractConfig | None:
    """The run's configuration from the ``--contract-*`` options; ``None`` without a base URL.

    :class:`pytest.UsageError` when the options are incomplete.
    """
    base_url = config.getoption("contract_base_url")
    if not base_url:
        return None
    project_id = config.getoption("contract_project_id")
    if not project_id:
        raise pytest.UsageError("--contract-project-id is required with --contract-base-url")
    seed = config.getoption("contract_seed")
    return ContractConfig(
        base_url=base_url,
        project_id=project_id,
        credentials=_credentials(config),
        state_url=config.getoption("contract_state_url"),
        other_project_id=config.getoption("contract_other_project_id"),
        max_examples=config.getoption("contract_max_examples"),
        seed=seed if seed is not None else random.randrange(2**31),
        timeout=config.getoption("contract_timeout"),
        workers=max(1, config.getoption("contract_workers")),
        clauses=tuple(config.getoption("contract_clause")),
    )


def _credentials(config: pytest.Config) -> Credentials:
    token = config.getoption("contract_token")
    access_key, secret_key = config.getoption("contract_ak"), config.getoption("contract_sk")
    if token and not (access_key or secret_key):
        return TokenCredentials(token)
    if access_key and secret_key and not token:
        return AkSkCredentials(access_key, secret_key)
    raise pytest.UsageError("give --contract-token, or --contract-ak with --contract-sk")


@pytest.fixture(scope="session")
def contract_report(request: pytest.FixtureRequest) -> RunReport:
    """The whole contract run once per test session; each clause's test reads its result."""
    config = contract_config(request.config)
    if config is None:
        pytest.skip("no --contract-base-url: the contract is not run")
    # Imported here: every pytest run in the environment loads this plugin, and schemathesis
    # changes hypothesis' printing in the process it is imported into.
    from .errors import ServerUnreachable
    from .runner import run_contract
    from .states import HttpProviderStates, NoProviderStates, ProviderStates

    states: ProviderStates
    states = (
        HttpProviderStates(config.state_url, config.timeout, credentials=config.credentials)
        if config.state_url
        else NoProviderStates()
    )
    try:
        return run_contract(config, states, progress=None)
    except ValueError as error:  # an unknown --contract-clause
        raise pytest.UsageError(str(error)) from None
    except ServerUnreachable as error:
        pytest.fail(str(error), pytrace=False)
    finally:
        if isinstance(states, HttpProviderStates):
            states.close()
