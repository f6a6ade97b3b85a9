"""Peak memory of a ``modelarts-contract run`` whose every answer is a stacked gzip bomb.

The server answers every request — the API's paths and the provider states — with 2.5 KB of
``Content-Encoding: gzip, gzip`` that inflates to 1 GiB of zeros. The run must end with a
verdict and stay under 1 GB of resident memory (issue 14); the answers are cut at 8 MiB decoded.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

ANCHOR_BYTES = 1024**3
INFLATED_GIB = 1


def _gzip(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def run() -> None:
    """Print the run's peak resident memory and time beside the 1 GB anchor."""
    # Sixteen 64 MiB gzip members make a GiB in half a second; one member takes fifteen.
    bomb = _gzip(_gzip(bytes(64 * 1024 * 1024)) * 16 * INFLATED_GIB)

    class Bomb(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip, gzip")
            self.send_header("Content-Length", str(len(bomb)))
            self.end_headers()
            self.wfile.write(bomb)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Bomb)
    Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    command = Path(sys.executable).with_name("modelarts-contract")
    started = time.perf_counter()
    result = subprocess.run(
        [
            str(command),
            "run",
            "--base-url",
            base_url,
            "--project-id",
            "bench-project",
            "--token",
            "bench-token",
            "--state-url",
            base_url + "/_contract/states",
            "--max-examples",
            "5",
            "--timeout",
            "5",
            "--seed",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    server.shutdown()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(
        f"run against a {len(bomb):,}-byte answer inflating to {INFLATED_GIB} GiB: "
        f"peak RSS {peak / 1024**2:6.0f} MiB  {seconds:5.1f} s  exit {result.returncode}"
    )
    within = "under" if peak < ANCHOR_BYTES else "OVER"
    print(f"peak RSS is {within} the 1 GB anchor (issue 14)")


if __name__ == "__main__":
    run()
