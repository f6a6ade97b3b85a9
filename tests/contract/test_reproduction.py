"""Failure reproductions are runnable curl commands that never print the caller's secret."""

from __future__ import annotations

import httpx
from modelarts_contract.reproduction import curl_command


def test_curl_hides_the_token_but_keeps_the_request() -> None:
    request = httpx.Request(
        "POST",
        "http://127.0.0.1:8080/v2/p/training-jobs/j/actions",
        headers={"X-Auth-Token": "t", "Content-Type": "application/json"},
        json={"action_type": "terminate"},
    )
    command = curl_command(request, secrets=["t"])
    assert '"x-auth-token: $MODELARTS_SECRET"' in command
    assert "'content-type: application/json'" in command
    assert """--data-raw '{"action_type":"terminate"}'""" in command
    assert command.endswith("http://127.0.0.1:8080/v2/p/training-jobs/j/actions")


def test_curl_hides_values_that_resemble_the_token() -> None:
    token = "MIIDxTCCAs2gAwIBAgIJAKL0UG+mRkSvMA0GCSqGSIb3DQEBCwUAMEUxCzAJ"
    for lookalike in (
        token[:-1] + "x",
        token[:30],
        token.lower(),
        token + "x",
        f"{token[:30]} {token[30:]}",
    ):
        request = httpx.Request("GET", "http://h/v2/p", headers={"X-Auth-Token": lookalike})
        command = curl_command(request, secrets=[token])
        assert token[:9] not in command
        assert "resembling the secret" in command
    other = httpx.Request("GET", "http://h/v2/p", headers={"X-Auth-Token": "contract-forged-1f2e"})
    assert "contract-forged-1f2e" in curl_command(other, secrets=[token])
