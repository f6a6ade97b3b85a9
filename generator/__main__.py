"""``python -m generator``: render ``generated/`` from ``spec/openapi.yaml``, or check it."""

from __future__ import annotations

import gc
import os
import sys

from generator import INTERRUPTED
from generator.worker import ModelWorker

if __name__ == "__main__":
    # pydantic looks for plugins by reading the entry points of every installed distribution the
    # first time a model class is built: a tenth of a run in a full virtualenv, for plugins
    # (tracing, checks of an application's models) with nothing to do in a code generator. An
    # explicit setting of the user's wins. Only here, never on import: a caller keeps its own.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    worker = None
    try:
        # Before the rest of the generator is imported: the library loads in the child meanwhile.
        worker = ModelWorker.start(sys.argv[1:])
        from generator.cli import main

        status = main(runner=worker)
    except KeyboardInterrupt:  # before main() could catch it, while the generator was imported
        print(INTERRUPTED, file=sys.stderr)
        status = 130
    finally:
        if worker is not None:
            worker.close()
    # Python's last garbage collection at exit walks every object still alive, the library's
    # classes and the parsed document among them: 0.14 s of a 1.2 s run with the library in this
    # process, 0.05 s without. Frozen objects are not walked; every file is closed by now, and
    # nothing of ours needs a finaliser to run.
    gc.freeze()
    sys.exit(status)
