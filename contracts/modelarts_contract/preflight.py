"""The run's first requests: can this server be judged with these credentials at all?

One authenticated terminate of a job id that cannot exist (a correct server answers 400
ModelArts.2775), so that a server that implements only the documented terminate is judged too:
no GET is needed. Two answers stop the run before any clause, with one plain sentence:

- 401 or 403: the server refused the credentials — a mistake of the caller, not a fault of the
  server, which eight failed clauses would wrongly suggest;
- no JSON, and an HTML page or "not found" for the API's own path, also for the same request
  without credentials: whatever answers there does not speak this API.

Anything else — a wrong status, a hang, a huge answer — is for the clauses to judge.
"""

from __future__ import annotations

import random
import uuid

import httpx

from . import answer_json
from .bounded_http import BoundedClient
from .config import ContractConfig
from .credentials import no_credentials
from .errors import ExchangeError, PreflightRefused, ServerUnreachable
from .spec import TERMINATE_PATH, job_url_path


def preflight(config: ContractConfig) -> None:
    """:class:`ServerUnreachable` or :class:`PreflightRefused` when no clause can judge the server."""
    # Not a UUID, so no real job can have it, and reproducible from the seed.
    job_id = f"contract-preflight-{uuid.UUID(int=random.Random(config.seed).getrandbits(128))}"
    path = job_url_path(TERMINATE_PATH, config.project_id, job_id)
    client = BoundedClient(config.timeout, base_url=config.base_url, max_connections=2)
    try:
        answer = _terminate(client, config, path, config.credentials.auth(config.project_id))
        if answer is None:
            return
        if answer.status_code in (401, 403):
            raise PreflightRefused(
                f"the server refused these credentials: a terminate on project "
                f"{config.project_id} answered {answer.status_code} {_error_code(answer)}"
            )
        if _json_object(answer):
            return
        bare = _terminate(client, config, path, no_credentials())
        if bare is not None and _foreign(answer, bare):
            raise PreflightRefused(
                f"the server at {config.base_url} does not speak the ModelArts API: a terminate "
                f"answered {answer.status_code} {_kind_of_body(answer)}, and the same request "
                f"without credentials {bare.status_code} {_kind_of_body(bare)}, never a JSON body"
            )
    finally:
        client.close()


def _terminate(
    client: BoundedClient, config: ContractConfig, path: str, auth: httpx.Auth
) -> httpx.Response | None:
    request = client.build_request("POST", path, json={"action_type": "terminate"})
    try:
        return client.exchange(request, auth)
    except ExchangeError as error:
        if error.kind == "dropped":
            raise ServerUnreachable(config.base_url, error.message) from None
        return None


def _foreign(answer: httpx.Response, bare: httpx.Response) -> bool:
    """Whether two answers without JSON come from something else than this API.

    An API whose error bodies are plain text is a server to judge (T10 fails it), so text alone
    is not enough: an HTML page, or "not found" for the API's own path, is.
    """
    if _json_object(answer) or _json_object(bare):
        return False
    not_found = all(response.status_code in (404, 405) for response in (answer, bare))
    return not_found or any(_is_html(response) for response in (answer, bare))


def _is_html(response: httpx.Response) -> bool:
    content_type = response.headers.get("content-type", "")
    return "html" in content_type or response.content.lstrip()[:1] == b"<"


def _json_object(response: httpx.Response) -> bool:
    try:
        return isinstance(answer_json.loads(response.content), dict)
    except (ValueError, RecursionError):
        return False


def _error_code(response: httpx.Response) -> str:
    try:
        body = answer_json.loads(response.content)
    except (ValueError, RecursionError):
        body = None
    code = body.get("error_code") if isinstance(body, dict) else None
    if isinstance(code, str) and code.isprintable() and len(code) <= 40:
        return code
    return "(no error_code in the answer)"


def _kind_of_body(response: httpx.Response) -> str:
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    if not response.content:
        return "with an empty body"
    if _is_html(response):
        return "with an HTML page"
    return f"with a body of type {content_type or 'unknown'} that is not JSON"
