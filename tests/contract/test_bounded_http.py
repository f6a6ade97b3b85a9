"""Every exchange of a run ends: a deadline for the whole answer, a size cap, one retry of a
connection dropped before any byte."""

from __future__ import annotations

import pytest
from hostile_servers import dripped_body, endless_chunked_body, hostile_server, resetting
from modelarts_contract.bounded_http import BoundedClient
from modelarts_contract.errors import ExchangeError


def _post(base_url: str, timeout: float = 5.0) -> int:
    client = BoundedClient(timeout, base_url=base_url)
    try:
        request = client.build_request("POST", "/v2/p/training-jobs/j/actions", json={})
        return client.exchange(request).status_code
    finally:
        client.close()


def test_a_dripped_body_ends_at_the_deadline() -> None:
    with hostile_server(dripped_body) as base_url, pytest.raises(ExchangeError) as raised:
        _post(base_url, timeout=1.0)
    assert raised.value.kind == "timeout" and "within 1 s" in raised.value.message


def test_an_endless_body_is_cut_at_the_size_cap() -> None:
    with hostile_server(endless_chunked_body) as base_url, pytest.raises(ExchangeError) as raised:
        _post(base_url)
    assert raised.value.kind == "too large" and "8 MiB" in raised.value.message


def test_a_connection_reset_before_any_byte_is_tried_again() -> None:
    with hostile_server(resetting(times=1)) as base_url:
        assert _post(base_url) == 400


def test_connections_reset_again_and_again_are_reported_as_dropped() -> None:
    with hostile_server(resetting(times=1000)) as base_url, pytest.raises(ExchangeError) as raised:
        _post(base_url)
    assert raised.value.kind == "dropped"
    assert "the server dropped connections under 1 concurrent request(s)" in raised.value.message
