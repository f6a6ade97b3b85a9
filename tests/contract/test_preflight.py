"""Before any clause, one request tells whether the server can be judged with these credentials."""

from __future__ import annotations

import pytest
from contract_servers import PROJECT, TOKEN, emulator_config, serve
from hostile_servers import hostile_server, html_everywhere
from modelarts_contract.cli import main
from modelarts_contract.emulator import create_app


def test_a_server_that_is_not_this_api_is_exit_2_with_one_sentence(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with hostile_server(html_everywhere) as base_url:
        code = main(["run", "--base-url", base_url, "--project-id", PROJECT, "--token", TOKEN])
    captured = capsys.readouterr()
    assert code == 2
    (line,) = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert "does not speak the ModelArts API" in line and "HTML page" in line
    assert "<html" not in captured.out + captured.err


def test_refused_credentials_name_the_servers_error_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with serve(create_app(emulator_config())) as server:
        code = main(
            ["run", "--base-url", server.base_url, "--project-id", PROJECT, "--token", "nope-nope"]
        )
    err = capsys.readouterr().err
    assert code == 2
    assert "the server refused these credentials" in err and "401 ModelArts." in err


def test_credentials_come_from_the_environment_and_flags_win(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MODELARTS_TOKEN", "nope-nope")
    with serve(create_app(emulator_config())) as server:
        argv = ["run", "--base-url", server.base_url, "--project-id", PROJECT, "--clause", "T6"]
        from_environment = main(argv)
        from_flag = main([*argv, "--token", TOKEN])
    capsys.readouterr()
    assert (from_environment, from_flag) == (2, 0)


def test_both_kinds_of_credentials_in_the_environment_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MODELARTS_TOKEN", "a-token")
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "an-access-key")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "a-secret-key")
    code = main(["run", "--base-url", "http://127.0.0.1:9", "--project-id", "p"])
    err = capsys.readouterr().err
    assert code == 2 and "choose one" in err
    assert "a-secret-key" not in err
