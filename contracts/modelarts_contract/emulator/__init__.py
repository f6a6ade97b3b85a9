"""A local emulator of ModelArts "terminate a training job", backed by SQLite.

It is the reference server the contract suite is proved against, and a test double users can
start for their own tests::

    config = EmulatorConfig(tokens={"tok-1": ("proj-1",)})
    with serve_in_thread(config) as server:
        ...  # call server.base_url; create jobs through server.state_url
"""

from .app import EmulatorApp, create_app
from .config import EmulatorConfig
from .server import RunningEmulator, serve_in_thread

__all__ = ["EmulatorApp", "EmulatorConfig", "RunningEmulator", "create_app", "serve_in_thread"]
