"""Without the official SDK there is nothing to compare: exit 2 with the command that installs it."""

from __future__ import annotations

import subprocess
import sys

from drift_runs import REPOSITORY

# A None entry in sys.modules makes `import huaweicloudsdkmodelarts` raise ImportError, as it
# does where the package was never installed.
_WITHOUT_SDK = (
    "import sys, runpy\n"
    "sys.modules['huaweicloudsdkmodelarts'] = None\n"
    "sys.argv = ['drift', '--json']\n"
    "runpy.run_module('drift', run_name='__main__')\n"
)


def test_a_missing_sdk_exits_2_with_the_install_command() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT_SDK],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert "pip install huaweicloudsdkcore huaweicloudsdkmodelarts" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
