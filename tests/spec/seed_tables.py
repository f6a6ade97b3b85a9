"""The seed document's 55 tables, written down by hand from `shared/seed/000_9f93d36c02a9cfc4.txt`.

Each table names where its object hangs in the terminate operation (a JSON path into the request
or the 202 body; `[]` steps into array items) and its fields with the seed's own type words.
Tabla 12 is missing from the translation; it is taken from the English original (see NOTES.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeedTable:
    """One table of the seed: where its object sits and the type word of each field."""

    number: int
    title: str
    #: `path` (path parameters), `request` (the body), or `$…` (a place in the 202 body).
    location: str
    fields: dict[str, str]


_FLAVOR_INFO = {
    "max_num": "Integer",
    "cpu": "cpu object",
    "gpu": "gpu object",
    "npu": "npu object",
    "memory": "memory object",
    "disk": "disk object",
}
_CPU = {"arch": "String", "core_num": "Integer"}
_GPU = {"unit_num": "Integer", "product_name": "String", "memory": "String"}
_NPU = {"unit_num": "String", "product_name": "String", "memory": "String"}
_MEMORY = {"size": "Integer", "unit": "String"}
_BILLING = {"code": "String", "unit_num": "Integer"}
_OBS = {"obs_url": "String"}
_REMOTE = {"obs": "obs object"}

_TASK_FLAVOR = "$.tasks[].task_resource"
_JOB_FLAVOR = "$.spec.resource.flavor_detail"
_AUTO_SEARCH = "$.algorithm.policies.auto_search"

TABLES: tuple[SeedTable, ...] = (
    SeedTable(1, "Path parameters", "path", {"project_id": "String", "training_job_id": "String"}),
    SeedTable(2, "Request body", "request", {"action_type": "String"}),
    SeedTable(
        3,
        "Response body",
        "$",
        {
            "kind": "String",
            "metadata": "JobMetadata object",
            "status": "Status object",
            "algorithm": "JobAlgorithmResponse object",
            "tasks": "Array of TaskResponse objects",
            "spec": "spec object",
        },
    ),
    SeedTable(
        4,
        "JobMetadata",
        "$.metadata",
        {
            "id": "String",
            "name": "String",
            "workspace_id": "String",
            "description": "String",
            "create_time": "Long",
            "user_name": "String",
            "annotations": "Map<String,String>",
        },
    ),
    SeedTable(
        5,
        "Status",
        "$.status",
        {
            "phase": "String",
            "secondary_phase": "String",
            "duration": "Long",
            "node_count_metrics": "Array<Array<Integer>>",
            "tasks": "Array of strings",
            "start_time": "String",
            "task_statuses": "Array of task_statuses objects",
        },
    ),
    SeedTable(
        6,
        "task_statuses",
        "$.status.task_statuses[]",
        {"task": "String", "exit_code": "Integer", "message": "String"},
    ),
    SeedTable(
        7,
        "JobAlgorithmResponse",
        "$.algorithm",
        {
            "id": "String",
            "name": "String",
            "subscription_id": "String",
            "item_version_id": "String",
            "code_dir": "String",
            "boot_file": "String",
            "autosearch_config_path": "String",
            "autosearch_framework_path": "String",
            "command": "String",
            "parameters": "Array of Parameter objects",
            "policies": "policies object",
            "inputs": "Array of Input objects",
            "outputs": "Array of Output objects",
            "engine": "engine object",
            "environments": "Array of Map<String,String> objects",
        },
    ),
    SeedTable(
        8,
        "Parameter",
        "$.algorithm.parameters[]",
        {
            "name": "String",
            "value": "String",
            "description": "String",
            "constraint": "constraint object",
            "i18n_description": "i18n_description object",
        },
    ),
    SeedTable(
        9,
        "constraint",
        "$.algorithm.parameters[].constraint",
        {
            "type": "String",
            "editable": "Boolean",
            "required": "Boolean",
            "sensitive": "Boolean",
            "valid_type": "String",
            "valid_range": "Array of strings",
        },
    ),
    SeedTable(
        10,
        "i18n_description",
        "$.algorithm.parameters[].i18n_description",
        {"language": "String", "description": "String"},
    ),
    SeedTable(11, "policies", "$.algorithm.policies", {"auto_search": "auto_search object"}),
    SeedTable(
        12,
        "auto_search",
        _AUTO_SEARCH,
        {
            "skip_search_params": "String",
            "reward_attrs": "Array of reward_attrs objects",
            "search_params": "Array of search_params objects",
            "algo_configs": "Array of algo_configs objects",
        },
    ),
    SeedTable(
        13,
        "reward_attrs",
        f"{_AUTO_SEARCH}.reward_attrs[]",
        {"name": "String", "mode": "String", "regex": "String"},
    ),
    SeedTable(
        14,
        "search_params",
        f"{_AUTO_SEARCH}.search_params[]",
        {
            "name": "String",
            "param_type": "String",
            "lower_bound": "String",
            "upper_bound": "String",
            "discrete_points_num": "String",
            "discrete_values": "Array of strings",
        },
    ),
    SeedTable(
        15,
        "algo_configs",
        f"{_AUTO_SEARCH}.algo_configs[]",
        {"name": "String", "params": "Array of AutoSearchAlgoConfigParameter objects"},
    ),
    SeedTable(
        16,
        "AutoSearchAlgoConfigParameter",
        f"{_AUTO_SEARCH}.algo_configs[].params[]",
        {"key": "String", "value": "String", "type": "String"},
    ),
    SeedTable(
        17,
        "Input",
        "$.algorithm.inputs[]",
        {
            "name": "String",
            "description": "String",
            "local_dir": "String",
            "remote": "InputDataInfo object",
            "remote_constraint": "Array of remote_constraint objects",
        },
    ),
    SeedTable(
        18,
        "InputDataInfo",
        "$.algorithm.inputs[].remote",
        {"dataset": "dataset object", "obs": "obs object"},
    ),
    SeedTable(
        19,
        "dataset",
        "$.algorithm.inputs[].remote.dataset",
        {"id": "String", "version_id": "String", "obs_url": "String"},
    ),
    SeedTable(20, "obs", "$.algorithm.inputs[].remote.obs", _OBS),
    SeedTable(
        21,
        "remote_constraint",
        "$.algorithm.inputs[].remote_constraint[]",
        {"data_type": "String", "attributes": "String"},
    ),
    SeedTable(
        22,
        "Output",
        "$.algorithm.outputs[]",
        {
            "name": "String",
            "description": "String",
            "local_dir": "String",
            "remote": "remote object",
        },
    ),
    SeedTable(23, "remote", "$.algorithm.outputs[].remote", _REMOTE),
    SeedTable(24, "obs", "$.algorithm.outputs[].remote.obs", _OBS),
    SeedTable(
        25,
        "engine",
        "$.algorithm.engine",
        {
            "engine_id": "String",
            "engine_name": "String",
            "engine_version": "String",
            "image_url": "String",
        },
    ),
    SeedTable(
        26,
        "TaskResponse",
        "$.tasks[]",
        {
            "role": "String",
            "algorithm": "algorithm object",
            "task_resource": "FlavorResponse object",
        },
    ),
    SeedTable(
        27,
        "algorithm",
        "$.tasks[].algorithm",
        {
            "code_dir": "String",
            "boot_file": "String",
            "inputs": "inputs object",
            "outputs": "outputs object",
            "engine": "engine object",
        },
    ),
    SeedTable(
        28,
        "inputs",
        "$.tasks[].algorithm.inputs",
        {"name": "String", "local_dir": "String", "remote": "remote object"},
    ),
    SeedTable(29, "remote", "$.tasks[].algorithm.inputs.remote", _REMOTE),
    SeedTable(30, "obs", "$.tasks[].algorithm.inputs.remote.obs", _OBS),
    SeedTable(
        31,
        "outputs",
        "$.tasks[].algorithm.outputs",
        {
            "name": "String",
            "local_dir": "String",
            "remote": "remote object",
            "mode": "String",
            "period": "String",
        },
    ),
    SeedTable(32, "remote", "$.tasks[].algorithm.outputs.remote", _REMOTE),
    SeedTable(33, "obs", "$.tasks[].algorithm.outputs.remote.obs", _OBS),
    SeedTable(
        34,
        "engine",
        "$.tasks[].algorithm.engine",
        {
            "engine_id": "String",
            "engine_name": "String",
            "engine_version": "String",
            "v1_compatible": "Boolean",
            "run_user": "String",
            "image_url": "String",
        },
    ),
    SeedTable(
        35,
        "FlavorResponse",
        _TASK_FLAVOR,
        {
            "flavor_id": "String",
            "flavor_name": "String",
            "max_num": "Integer",
            "flavor_type": "String",
            "billing": "billing object",
            "flavor_info": "flavor_info object",
            "attributes": "Map<String,String>",
        },
    ),
    SeedTable(36, "billing", f"{_TASK_FLAVOR}.billing", _BILLING),
    SeedTable(37, "flavor_info", f"{_TASK_FLAVOR}.flavor_info", _FLAVOR_INFO),
    SeedTable(38, "cpu", f"{_TASK_FLAVOR}.flavor_info.cpu", _CPU),
    SeedTable(39, "gpu", f"{_TASK_FLAVOR}.flavor_info.gpu", _GPU),
    SeedTable(40, "npu", f"{_TASK_FLAVOR}.flavor_info.npu", _NPU),
    SeedTable(41, "memory", f"{_TASK_FLAVOR}.flavor_info.memory", _MEMORY),
    SeedTable(
        42, "disk", f"{_TASK_FLAVOR}.flavor_info.disk", {"size": "Integer", "unit": "String"}
    ),
    SeedTable(
        43,
        "spec",
        "$.spec",
        {
            "resource": "Resource object",
            "volumes": "Array of volumes objects",
            "log_export_path": "log_export_path object",
        },
    ),
    SeedTable(
        44,
        "Resource",
        "$.spec.resource",
        {
            "policy": "String",
            "flavor_id": "String",
            "flavor_name": "String",
            "node_count": "Integer",
            "pool_id": "String",
            "flavor_detail": "flavor_detail object",
        },
    ),
    SeedTable(
        45,
        "flavor_detail",
        _JOB_FLAVOR,
        {
            "flavor_type": "String",
            "billing": "billing object",
            "flavor_info": "flavor_info object",
        },
    ),
    SeedTable(46, "billing", f"{_JOB_FLAVOR}.billing", _BILLING),
    SeedTable(47, "flavor_info", f"{_JOB_FLAVOR}.flavor_info", _FLAVOR_INFO),
    SeedTable(48, "cpu", f"{_JOB_FLAVOR}.flavor_info.cpu", _CPU),
    SeedTable(49, "gpu", f"{_JOB_FLAVOR}.flavor_info.gpu", _GPU),
    SeedTable(50, "npu", f"{_JOB_FLAVOR}.flavor_info.npu", _NPU),
    SeedTable(51, "memory", f"{_JOB_FLAVOR}.flavor_info.memory", _MEMORY),
    SeedTable(52, "disk", f"{_JOB_FLAVOR}.flavor_info.disk", {"size": "String", "unit": "String"}),
    SeedTable(53, "volumes", "$.spec.volumes[]", {"nfs": "nfs object"}),
    SeedTable(
        54,
        "nfs",
        "$.spec.volumes[].nfs",
        {"nfs_server_path": "String", "local_path": "String", "read_only": "Boolean"},
    ),
    SeedTable(
        55,
        "log_export_path",
        "$.spec.log_export_path",
        {"obs_url": "String", "host_path": "String"},
    ),
)

#: Every value the seed documents as an option of an enumerated field, by JSON path.
DOCUMENTED_ENUMS: dict[str, tuple[str, ...]] = {
    "request.action_type": ("terminate",),
    "$.kind": ("job", "hetero_job", "autosearch_job", "mrs_job", "edge_job"),
    "$.status.phase": (
        "Creating",
        "Pending",
        "Running",
        "Failed",
        "Completed",
        "Terminating",
        "Terminated",
        "Abnormal",
    ),
    "$.status.secondary_phase": (
        "Creating",
        "Queuing",
        "Running",
        "Failed",
        "Completed",
        "Terminating",
        "Terminated",
        "CreateFailed",
        "TerminatedFailed",
        "Unknown",
        "Lost",
    ),
    f"{_AUTO_SEARCH}.reward_attrs[].mode": ("max", "min"),
    f"{_AUTO_SEARCH}.search_params[].param_type": ("continuous", "discreate"),
    "$.tasks[].role": ("learner", "worker"),
    f"{_TASK_FLAVOR}.flavor_type": ("CPU", "GPU", "Ascend"),
    f"{_JOB_FLAVOR}.flavor_type": ("CPU", "GPU", "Ascend"),
    "$.spec.resource.policy": ("regular",),
}
