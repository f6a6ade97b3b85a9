"""Pydantic models of the API, each defined the first time it is named: do not edit.

``_models.py`` holds them as generated, and is what type checkers and readers use; it is read
from here, never imported (that would create a second, different class of each name). This
module runs its imports now and, on first use of a name, the statement defining it with those of
the names it refers to, so that importing the package creates no model however large the
document; a model's validator is built when it first validates.
"""

from __future__ import annotations

# Every name of this module's own begins with an underscore: the others are the models'.
import __future__ as _future

import threading as _threading
from pathlib import Path as _Path
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

if _TYPE_CHECKING:
    from modelarts_training._models import (
        ActionType,
        AlgorithmParameter,
        AlgorithmPolicies,
        AutoSearch,
        AutoSearchAlgoConfigParameter,
        BillingInfo,
        CpuInfo,
        DatasetReference,
        DiskInfo,
        ErrorResponse,
        FlavorDetail,
        FlavorDetailDisk,
        FlavorDetailInfo,
        FlavorInfo,
        FlavorType,
        GpuInfo,
        I18nDescription,
        InputDataInfo,
        JobAlgorithm,
        JobEngine,
        JobInput,
        JobMetadata,
        JobOutput,
        JobResource,
        JobSpec,
        JobTask,
        Kind,
        LogExportPath,
        MemoryInfo,
        Mode,
        NfsVolume,
        NpuInfo,
        ObsLocation,
        ObsRemote,
        ParameterConstraint,
        ParamType,
        Phase,
        Policy,
        RemoteConstraint,
        RewardAttribute,
        Role,
        SearchAlgorithmConfig,
        SearchParameter,
        SecondaryPhase,
        Status,
        TaskAlgorithm,
        TaskEngine,
        TaskFlavor,
        TaskInput,
        TaskOutput,
        TaskStatus,
        TerminateTrainingJobRequest,
        TrainingJob,
        Volume,
    )

_SOURCE = _Path(__file__).with_name("_models.py")
_LINES = _SOURCE.read_text(encoding="utf-8").splitlines(keepends=True)
#: Each name: the first and last line of the statement defining it, and the names it uses.
_STATEMENTS: dict[str, tuple[int, int, tuple[str, ...]]] = {
    "ActionType": (18, 37, ()),
    "AutoSearchAlgoConfigParameter": (40, 59, ()),
    "BillingInfo": (62, 77, ()),
    "CpuInfo": (80, 95, ()),
    "DatasetReference": (98, 119, ()),
    "DiskInfo": (122, 137, ()),
    "ErrorResponse": (140, 159, ()),
    "FlavorDetailDisk": (162, 177, ()),
    "FlavorType": (180, 198, ()),
    "GpuInfo": (201, 220, ()),
    "I18nDescription": (223, 238, ()),
    "JobEngine": (241, 280, ()),
    "JobMetadata": (283, 328, ()),
    "Kind": (331, 354, ()),
    "LogExportPath": (357, 372, ()),
    "MemoryInfo": (375, 392, ()),
    "Mode": (395, 414, ()),
    "NfsVolume": (417, 436, ()),
    "NpuInfo": (439, 458, ()),
    "ObsLocation": (461, 472, ()),
    "ObsRemote": (475, 483, ("ObsLocation",)),
    "ParamType": (486, 506, ()),
    "ParameterConstraint": (509, 540, ()),
    "Phase": (543, 568, ()),
    "Policy": (571, 590, ()),
    "RemoteConstraint": (593, 610, ()),
    "RewardAttribute": (613, 634, ("Mode",)),
    "Role": (637, 655, ()),
    "SearchAlgorithmConfig": (658, 673, ("AutoSearchAlgoConfigParameter",)),
    "SearchParameter": (676, 710, ("ParamType",)),
    "SecondaryPhase": (713, 743, ()),
    "TaskEngine": (746, 777, ()),
    "TaskInput": (780, 796, ("ObsRemote",)),
    "TaskOutput": (799, 825, ("ObsRemote",)),
    "TaskStatus": (828, 847, ()),
    "TerminateTrainingJobRequest": (850, 864, ("ActionType",)),
    "Volume": (867, 875, ("NfsVolume",)),
    "AlgorithmParameter": (878, 899, ("I18nDescription", "ParameterConstraint")),
    "AutoSearch": (902, 925, ("RewardAttribute", "SearchAlgorithmConfig", "SearchParameter")),
    "FlavorDetailInfo": (
        928,
        944,
        ("CpuInfo", "FlavorDetailDisk", "GpuInfo", "MemoryInfo", "NpuInfo"),
    ),
    "FlavorInfo": (947, 963, ("CpuInfo", "DiskInfo", "GpuInfo", "MemoryInfo", "NpuInfo")),
    "InputDataInfo": (966, 976, ("DatasetReference", "ObsLocation")),
    "JobInput": (979, 1003, ("InputDataInfo", "RemoteConstraint")),
    "JobOutput": (1006, 1038, ("ObsRemote",)),
    "Status": (1041, 1085, ("Phase", "SecondaryPhase", "TaskStatus")),
    "TaskAlgorithm": (1088, 1106, ("TaskEngine", "TaskInput", "TaskOutput")),
    "TaskFlavor": (1109, 1135, ("BillingInfo", "FlavorInfo", "FlavorType")),
    "AlgorithmPolicies": (1138, 1146, ("AutoSearch",)),
    "FlavorDetail": (1149, 1165, ("BillingInfo", "FlavorDetailInfo", "FlavorType")),
    "JobAlgorithm": (
        1168,
        1238,
        ("AlgorithmParameter", "AlgorithmPolicies", "JobEngine", "JobInput", "JobOutput"),
    ),
    "JobResource": (1241, 1271, ("FlavorDetail", "Policy")),
    "JobSpec": (1274, 1293, ("JobResource", "LogExportPath", "Volume")),
    "JobTask": (1296, 1310, ("Role", "TaskAlgorithm", "TaskFlavor")),
    "TrainingJob": (
        1313,
        1335,
        ("JobAlgorithm", "JobMetadata", "JobSpec", "JobTask", "Kind", "Status"),
    ),
}
_DEFINING = _threading.RLock()
__all__ = [
    "ActionType",
    "AlgorithmParameter",
    "AlgorithmPolicies",
    "AutoSearch",
    "AutoSearchAlgoConfigParameter",
    "BillingInfo",
    "CpuInfo",
    "DatasetReference",
    "DiskInfo",
    "ErrorResponse",
    "FlavorDetail",
    "FlavorDetailDisk",
    "FlavorDetailInfo",
    "FlavorInfo",
    "FlavorType",
    "GpuInfo",
    "I18nDescription",
    "InputDataInfo",
    "JobAlgorithm",
    "JobEngine",
    "JobInput",
    "JobMetadata",
    "JobOutput",
    "JobResource",
    "JobSpec",
    "JobTask",
    "Kind",
    "LogExportPath",
    "MemoryInfo",
    "Mode",
    "NfsVolume",
    "NpuInfo",
    "ObsLocation",
    "ObsRemote",
    "ParamType",
    "ParameterConstraint",
    "Phase",
    "Policy",
    "RemoteConstraint",
    "RewardAttribute",
    "Role",
    "SearchAlgorithmConfig",
    "SearchParameter",
    "SecondaryPhase",
    "Status",
    "TaskAlgorithm",
    "TaskEngine",
    "TaskFlavor",
    "TaskInput",
    "TaskOutput",
    "TaskStatus",
    "TerminateTrainingJobRequest",
    "TrainingJob",
    "Volume",
]


def _run(first: int, last: int) -> None:
    # Leading blank lines keep the line numbers of _models.py in tracebacks; the future flag
    # keeps annotations postponed, as they are there.
    code = "\n" * (first - 1) + "".join(_LINES[first - 1 : last])
    flags = _future.annotations.compiler_flag
    exec(compile(code, str(_SOURCE), "exec", flags, dont_inherit=True), globals())  # noqa: S102


def __getattr__(name: str) -> _Any:
    if name not in _STATEMENTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _DEFINING:
        namespace = globals()
        needed: set[str] = set()
        pending = [name]
        while pending:
            current = pending.pop()
            if current not in needed and current not in namespace:
                needed.add(current)
                pending.extend(_STATEMENTS[current][2])
        # In the file's order, so that a class's bases are defined before it.
        for key, (first, last, _) in _STATEMENTS.items():
            if key in needed:
                _run(first, last)
        return namespace[name]


def __dir__() -> list[str]:
    return sorted({*globals(), *_STATEMENTS})


_run(1, 15)
