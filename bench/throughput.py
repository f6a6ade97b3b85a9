"""Terminate throughput and latency: the emulator beside the Prism mock serving the same spec.

Both servers get the same load on loopback: ``WORKERS`` concurrent keep-alive connections
sending ``REQUESTS`` terminates in all. The emulator terminates a fresh Running job each time
(created beforehand through provider states) on a file database, so every 202 is a durable
SQLite commit; Prism only answers the spec's example. The load client speaks HTTP/1.1 over raw
asyncio streams, light enough not to be the bottleneck itself. Both servers run at once
and are loaded in alternating rounds, so other work on the machine weighs on both alike.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

WORKERS = 32
REQUESTS = 6000
WARMUP = 500
ROUNDS = 3
TOKEN = "bench-token"
PROJECT = "bench-project"
TERMINATE = b'{"action_type":"terminate"}'
SPEC = Path(__file__).resolve().parent.parent / "spec" / "openapi.yaml"
STARTUP_TIMEOUT = 90.0


@dataclass(frozen=True)
class Result:
    """What one server did under the load."""

    name: str
    seconds: float
    latencies: list[float]
    statuses: Counter[int]

    @property
    def throughput(self) -> float:
        """Answers per second over the whole run."""
        return len(self.latencies) / self.seconds

    def percentile(self, fraction: float) -> float:
        """A latency percentile, in milliseconds."""
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000

    def line(self) -> str:
        """One row of the report."""
        statuses = ", ".join(f"{code}×{count}" for code, count in sorted(self.statuses.items()))
        return (
            f"{self.name:<24}{self.throughput:>10.0f} req/s   p50 {self.percentile(0.5):6.2f} ms"
            f"   p99 {self.percentile(0.99):6.2f} ms   mean {statistics.fmean(self.latencies) * 1000:6.2f} ms"
            f"   [{statuses}]"
        )


def request_bytes(host: str, method: str, path: str, body: bytes) -> bytes:
    """A complete HTTP/1.1 keep-alive request with the token (provider states need it too)."""
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Content-Type: application/json"]
    head.append(f"X-Auth-Token: {TOKEN}")
    head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body


async def exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes]:
    """Send one request on an open connection and read its answer (Content-Length framed)."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = next(
        int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")
    )
    return status, await reader.readexactly(length)


async def drive(
    port: int, requests: Sequence[bytes], workers: int
) -> tuple[float, list[float], Counter[int]]:
    """Send ``requests`` over ``workers`` connections; wall time, latencies, statuses."""
    pending = iter(requests)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for request in pending:
                started = time.perf_counter()
                status, _ = await exchange(reader, writer, request)
                latencies.append(time.perf_counter() - started)
                statuses[status] += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    return time.perf_counter() - started, latencies, statuses


def free_port() -> int:
    """A port nothing listens on right now (Prism cannot be handed a socket)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_listening(port: int, process: subprocess.Popen[bytes], name: str) -> None:
    """Poll the port until it accepts connections."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode} while starting")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{name} did not listen on {port} within {STARTUP_TIMEOUT:.0f} s")


@contextmanager
def running(command: list[str], port: int, name: str) -> Iterator[None]:
    """Start a server process, wait for its port, stop it on exit."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_listening(port, process, name)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def create_jobs(port: int, count: int) -> list[str]:
    """Create ``count`` Running jobs through provider states; their ids."""
    setup = json.dumps(
        {
            "action": "setup",
            "state": "training job",
            "params": {"project_id": PROJECT, "phase": "Running"},
        }
    ).encode()
    request = request_bytes(f"127.0.0.1:{port}", "POST", "/_contract/states", setup)
    ids: list[str] = []

    async def create() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while len(ids) < count:
                status, body = await exchange(reader, writer, request)
                if status != 201:
                    raise RuntimeError(f"provider state setup answered {status}: {body[:200]!r}")
                ids.append(json.loads(body)["training_job_id"])
        finally:
            writer.close()

    async def create_all() -> None:
        await asyncio.gather(*(create() for _ in range(8)))

    asyncio.run(create_all())
    return ids[:count]


def terminates(port: int, job_ids: Sequence[str]) -> list[bytes]:
    """One terminate request per job id."""
    host = f"127.0.0.1:{port}"
    return [
        request_bytes(host, "POST", f"/v2/{PROJECT}/training-jobs/{job_id}/actions", TERMINATE)
        for job_id in job_ids
    ]


def emulator_command(port: int, db_path: str) -> list[str]:
    """The emulator on a file database, jobs staying Terminating for the whole run."""
    return [
        sys.executable, "-m", "modelarts_contract.emulator", "--port", str(port), "--db", db_path,
        "--token", f"{TOKEN}={PROJECT}", "--terminate-seconds", "3600",
    ]  # fmt: skip


def prism_command(port: int, npx: str) -> list[str]:
    """Prism's mock of the same spec (it answers the example whatever the job)."""
    return [
        npx, "--no-install", "prism", "mock", str(SPEC), "--host", "127.0.0.1",
        "--port", str(port), "--verboseLevel", "error",
    ]  # fmt: skip


def interleaved(loads: dict[str, tuple[int, list[bytes]]]) -> list[Result]:
    """Warm every server up, then load them in turn, ``ROUNDS`` times each.

    Taking turns spreads whatever else the machine is doing over both servers alike.
    """
    for port, requests in loads.values():
        asyncio.run(drive(port, requests[:WARMUP], WORKERS))
    totals: dict[str, tuple[float, list[float], Counter[int]]] = {
        name: (0.0, [], Counter()) for name in loads
    }
    per_round = REQUESTS // ROUNDS
    for round_number in range(ROUNDS):
        for name, (port, requests) in loads.items():
            first = WARMUP + round_number * per_round
            seconds, latencies, statuses = asyncio.run(
                drive(port, requests[first : first + per_round], WORKERS)
            )
            spent, all_latencies, all_statuses = totals[name]
            totals[name] = (spent + seconds, all_latencies + latencies, all_statuses + statuses)
    return [Result(name, *totals[name]) for name in loads]


def run() -> None:
    """Run both servers under the same load and print them side by side."""
    print(
        f"terminate, loopback, {WORKERS} keep-alive connections, {REQUESTS} requests each "
        f"in {ROUNDS} alternating rounds (after {WARMUP} warm-up), {os.cpu_count()} cores"
    )
    npx = shutil.which("npx")
    emulator_port, prism_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as scratch, ExitStack() as servers:
        db_path = str(Path(scratch) / "bench.sqlite3")
        servers.enter_context(
            running(emulator_command(emulator_port, db_path), emulator_port, "the emulator")
        )
        job_ids = create_jobs(emulator_port, WARMUP + REQUESTS)
        loads = {"emulator (SQLite file)": (emulator_port, terminates(emulator_port, job_ids))}
        if npx is None:
            print("npx not found: Prism skipped")
        else:
            servers.enter_context(running(prism_command(prism_port, npx), prism_port, "Prism"))
            prism_ids = [f"job-{n}" for n in range(WARMUP + REQUESTS)]
            loads["prism mock 5.x"] = (prism_port, terminates(prism_port, prism_ids))
        results = interleaved(loads)
    for result in results:
        print(result.line())
        if set(result.statuses) != {202}:
            print(f"  warning: {result.name} did not answer every terminate with 202")
    if len(results) == 2:
        emulator, prism = results
        ratio = emulator.throughput / prism.throughput
        verdict = "meets" if ratio >= 1 else "misses"
        print(f"emulator / prism throughput: {ratio:.2f}× ({verdict} the target of at least 1×)")


if __name__ == "__main__":
    run()
