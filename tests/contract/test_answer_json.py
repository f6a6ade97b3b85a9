"""A number of any size in an answer is judged like any other value: never an ERROR, and a
failure of the schema clause where the spec bounds it."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from contract_faults import Exchange as FaultExchange
from contract_faults import Fault
from contract_servers import OTHER_PROJECT, PROJECT, TOKEN, emulator_config, serve
from modelarts_contract import answer_json
from modelarts_contract.clauses.schema import SchemaObserver
from modelarts_contract.config import ContractConfig
from modelarts_contract.emulator import create_app
from modelarts_contract.reproduction import Replay
from modelarts_contract.runner import Status, run_contract
from modelarts_contract.session import Exchange
from modelarts_contract.spec import ContractSchema, with_integer_ranges
from modelarts_contract.states import HttpProviderStates

DIGITS = "1" * 100_000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (DIGITS, answer_json.beyond()),
        ("-" + DIGITS, answer_json.beyond(negative=True)),
        ("1e999999", answer_json.beyond()),
        ("-1e" + "9" * 5000, answer_json.beyond(negative=True)),
        ("1e-999999", 0.0),
        ("12", 12),
        ("2.5", 2.5),
    ],
    ids=[
        "100k-digits",
        "negative",
        "huge-exponent",
        "exponent-of-5000-digits",
        "tiny",
        "int",
        "float",
    ],
)
def test_a_number_of_any_size_is_a_value(text: str, expected: object) -> None:
    assert answer_json.loads(f'{{"n": {text}}}') == {"n": expected}


def test_nan_and_infinity_are_not_json() -> None:
    for constant in ("NaN", "Infinity", "-Infinity"):
        with pytest.raises(ValueError, match="not a JSON value"):
            answer_json.loads(f"[{constant}]")


def test_an_answer_not_in_utf8_is_not_json() -> None:
    # RFC 8259 §8.1: where json.loads alone would guess UTF-16 or UTF-32 from the bytes.
    for encoding in ("utf-16", "utf-16-le", "utf-32"):
        with pytest.raises(answer_json.NotJson, match="not UTF-8"):
            answer_json.loads('{"n": 1}'.encode(encoding))
    with pytest.raises(answer_json.NotJson, match="not UTF-8"):
        answer_json.loads(b'{"name": "caf\xe9"}')
    # A byte order mark before UTF-8 is one a parser may ignore.
    assert answer_json.loads(b'\xef\xbb\xbf{"name": "caf\xc3\xa9"}') == {"name": "café"}


def test_messages_name_the_stand_in_instead_of_spelling_it() -> None:
    message = f"{answer_json.beyond()} is greater than the maximum of 9223372036854775807"
    assert answer_json.readable(message) == (
        "<a number of more than 4,300 digits> is greater than the maximum of 9223372036854775807"
    )


def test_int64_integers_are_bounded_by_their_format() -> None:
    schema = {"properties": {"t": {"type": "integer", "format": "int64", "minimum": 0}}}
    assert with_integer_ranges(schema)["properties"]["t"] == {
        "type": "integer",
        "format": "int64",
        "minimum": 0,
        "maximum": 2**63 - 1,
    }


class HugeCreateTime(Fault):
    """Every job it shows has a ``create_time`` of 100,000 digits (the spec: an int64)."""

    clause = "T1"

    async def after(self, exchange: FaultExchange) -> None:
        body: Any = exchange.json()
        if not isinstance(body, dict) or not isinstance(body.get("metadata"), dict):
            return
        body["metadata"]["create_time"] = "@create_time@"
        answer = json.dumps(body).replace('"@create_time@"', DIGITS).encode()
        exchange.headers = [(k, v) for k, v in exchange.headers if k != b"content-length"]
        exchange.headers.append((b"content-length", str(len(answer)).encode()))
        exchange.answer = answer


def test_a_100000_digit_number_errs_nowhere_and_fails_the_schema_check() -> None:
    with serve(HugeCreateTime(create_app(emulator_config()))) as server:
        config = ContractConfig(
            base_url=server.base_url,
            project_id=PROJECT,
            credentials=HugeCreateTime.credentials,
            state_url=server.state_url,
            other_project_id=OTHER_PROJECT,
            seed=11,
            timeout=3.0,
            # The clauses that read jobs' bodies (T1's own run is the slow part of a run).
            clauses=("T3", "T4", "T5"),
        )
        states = HttpProviderStates(
            server.state_url, config.timeout, credentials=config.credentials
        )
        try:
            report = run_contract(config, states, progress=None)
            job = states.setup(PROJECT, "Running")
            with httpx.Client(base_url=server.base_url, headers={"X-Auth-Token": TOKEN}) as client:
                response = client.get(f"/v2/{PROJECT}/training-jobs/{job.id}")
        finally:
            states.close()
    assert [r.status for r in report.results] == [Status.PASSED] * 3, report.results
    observer = SchemaObserver(ContractSchema(server.base_url))
    observer.observe(Exchange(response.request, response, "T3", Replay((), ())))
    (violation,) = observer.kept
    assert violation.message.endswith(
        "200: Response violates schema: <a number of more than 4,300 digits> is greater than "
        "the maximum of 9223372036854775807 / Validated against the response schema for "
        "status code 200. / Schema at /components/schemas/JobMetadata/properties/create_time:"
    )
