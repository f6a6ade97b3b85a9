"""Pydantic models of the API, generated from its OpenAPI document: do not edit."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import pydantic
from pydantic import ConfigDict, Field


class BaseModel(pydantic.BaseModel):
    """Base of the object models: each is built on first use, not on import."""

    model_config = ConfigDict(defer_build=True)


class ActionType(StrEnum):
    """
    Operation to perform on the training job. Use `terminate` to terminate it.
    The document marks this field optional, but the service rejects a request without it
    (400 `ModelArts.2812`), so the contract requires it.

    """

    terminate = "terminate"

    @classmethod
    def _missing_(cls, value: object) -> ActionType | None:
        # The service adds values before the document does: keep an unknown one as a
        # pseudo-member instead of rejecting the whole answer.
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class AutoSearchAlgoConfigParameter(BaseModel):
    """
    A parameter of a search algorithm.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    key: str | None = None
    """
    Key of the parameter.
    """
    value: str | None = None
    """
    Value of the parameter.
    """
    type: str | None = None
    """
    Type of the parameter.
    """


class BillingInfo(BaseModel):
    """
    Billing information of a resource flavor.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    code: str | None = None
    """
    Billing code.
    """
    unit_num: int | None = None
    """
    Number of billing units.
    """


class CpuInfo(BaseModel):
    """
    CPU specifications.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    arch: str | None = None
    """
    CPU architecture.
    """
    core_num: int | None = None
    """
    Number of cores.
    """


class DatasetReference(BaseModel):
    """
    A dataset used as data input.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    id: str | None = None
    """
    ID of the dataset of the training job.
    """
    version_id: str | None = None
    """
    ID of the dataset version of the training job.
    """
    obs_url: str | None = None
    """
    OBS URL of the dataset the job needs, e.g. `/usr/data/`. ModelArts derives it from the
    dataset ID and the dataset version ID.

    """


class DiskInfo(BaseModel):
    """
    Disk information of a task's resource flavor.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    size: int | None = None
    """
    Disk size.
    """
    unit: str | None = None
    """
    Unit of the disk size.
    """


class ErrorResponse(BaseModel):
    """
    The body of every error the service answers.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    error_code: str
    """
    Error code, e.g. `ModelArts.2796`.
    """
    error_msg: str
    """
    Human-readable error message.
    """
    request_id: str | None = None
    """
    ID of the request; gateway errors add it.
    """


class FlavorDetailDisk(BaseModel):
    """
    Disk information of the job's resource flavor.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    size: str | None = None
    """
    Disk size. A string here, unlike Tabla 42, as documented (and as the official SDK types it).
    """
    unit: str | None = None
    """
    Unit of the disk size; usually `GB`.
    """


class FlavorType(StrEnum):
    """
    Type of the resource flavor.
    """

    CPU = "CPU"
    GPU = "GPU"
    Ascend = "Ascend"

    @classmethod
    def _missing_(cls, value: object) -> FlavorType | None:
        # The service adds values before the document does: keep an unknown one as a
        # pseudo-member instead of rejecting the whole answer.
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class GpuInfo(BaseModel):
    """
    GPU specifications.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    unit_num: int | None = None
    """
    Number of GPUs.
    """
    product_name: str | None = None
    """
    Product name.
    """
    memory: str | None = None
    """
    Memory, e.g. `8GB`.
    """


class I18nDescription(BaseModel):
    """
    Internationalised description.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    language: str | None = None
    """
    Language of the description.
    """
    description: str | None = None
    """
    The description.
    """


class JobEngine(BaseModel):
    """
    Engine of a training job. Leave empty when the job is created from an algorithm `id` or
    a subscribed algorithm (`subscription_id` + `item_version_id`).

    """

    model_config = ConfigDict(
        extra="allow",
    )
    engine_id: str | None = None
    """
    ID of the engine selected for the job. Give `engine_id`, `engine_name` +
    `engine_version`, or `image_url`.

    """
    engine_name: str | None = None
    """
    Name of the engine selected for the job. Leave empty when `engine_id` is set.
    """
    engine_version: str | None = None
    """
    Version of the engine selected for the job. Leave empty when `engine_id` is set.
    """
    image_url: str | None = None
    """
    URL of the custom image selected for the job.
    """
    v1_compatible: bool | None = None
    """
    Whether the v1 compatibility mode is used. Not in Tabla 25; present in the document's
    example and defined for task engines in Tabla 34.

    """
    run_user: str | None = None
    """
    UID of the user the engine runs as by default. Not in Tabla 25; present in the
    document's example and defined for task engines in Tabla 34.

    """


class JobMetadata(BaseModel):
    """
    Metadata of a training job.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    id: str
    """
    ID of the training job, generated and returned by ModelArts when the job is created.
    """
    name: Annotated[
        str | None, Field(max_length=64, min_length=1, pattern="^[A-Za-z0-9_-]{1,64}$")
    ] = None
    """
    Name of the training job; 1 to 64 characters, only digits, letters, underscores (_) and hyphens (-).
    """
    workspace_id: str | None = "0"
    """
    Workspace the job belongs to. Defaults to `0`.
    """
    description: Annotated[str | None, Field(max_length=256)] = None
    """
    Description of the training job; 0 to 256 characters. Empty by default.
    """
    create_time: int | None = None
    """
    When the job was created, as a timestamp in milliseconds, generated by ModelArts.
    """
    user_name: str | None = None
    """
    Name of the user who created the job, generated by ModelArts.
    """
    annotations: dict[str, str] | None = None
    """
    Declaration template of the job. For heterogeneous jobs `job_template` defaults to
    `Template RL`; for other jobs to `Template DL`.

    """
    ai_project: str | None = None
    """
    AI project the job belongs to. Not in the document's table; present in its 202 example
    and in the service's answers.

    """


class Kind(StrEnum):
    """
    Type of the training job; `job` by default. `job`: training job; `hetero_job`:
    heterogeneous job; `autosearch_job`: auto search job; `mrs_job`: MRS job; `edge_job`:
    edge job (the document tags this one as available only in some regions).

    """

    job = "job"
    hetero_job = "hetero_job"
    autosearch_job = "autosearch_job"
    mrs_job = "mrs_job"
    edge_job = "edge_job"

    @classmethod
    def _missing_(cls, value: object) -> Kind | None:
        # The service adds values before the document does: keep an unknown one as a
        # pseudo-member instead of rejecting the whole answer.
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class LogExportPath(BaseModel):
    """
    Where the training job's logs are exported.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    obs_url: str | None = None
    """
    OBS URL where the training job's logs are stored.
    """
    host_path: str | None = None
    """
    Path on the host where the training job's logs are stored.
    """


class MemoryInfo(BaseModel):
    """
    Memory information.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    size: int | None = None
    """
    Memory size.
    """
    unit: str | None = None
    """
    Unit of the memory size, e.g. `GB`. (The document calls it the number of memory units;
    its example and the service send the unit.)

    """


class Mode(StrEnum):
    """
    Search direction. `max`: a larger metric value means better performance; `min`: a
    smaller metric value means better performance.

    """

    max = "max"
    min = "min"

    @classmethod
    def _missing_(cls, value: object) -> Mode | None:
        # The service adds values before the document does: keep an unknown one as a
        # pseudo-member instead of rejecting the whole answer.
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class NfsVolume(BaseModel):
    """
    A volume attached in NFS mode.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    nfs_server_path: str | None = None
    """
    Path on the NFS server.
    """
    local_path: str | None = None
    """
    Path the volume is mounted at in the training container.
    """
    read_only: bool | None = None
    """
    Whether the NFS volume is mounted read-only in the container.
    """


class NpuInfo(BaseModel):
    """
    Ascend (NPU) specifications.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    unit_num: str | None = None
    """
    Number of NPUs. A string, unlike the GPU count, as documented.
    """
    product_name: str | None = None
    """
    Product name.
    """
    memory: str | None = None
    """
    Memory.
    """


class ObsLocation(BaseModel):
    """
    An OBS location where input or output data is stored.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    obs_url: str | None = None
    """
    OBS URL of the data, e.g. `/usr/data/`.
    """


class ObsRemote(BaseModel):
    """
    The actual data location, in OBS.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    obs: ObsLocation | None = None


class ParamType(StrEnum):
    """
    Type of the parameter. `continuous`: a continuous value; `discreate`: a discrete value.
    The spelling `discreate` is the service's own and is kept as documented (newer
    documents spell it `discrete`).

    """

    continuous = "continuous"
    discreate = "discreate"

    @classmethod
    def _missing_(cls, value: object) -> ParamType | None:
        # The service adds values before the document does: keep an unknown one as a
        # pseudo-member instead of rejecting the whole answer.
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class ParameterConstraint(BaseModel):
    """
    Constraint on a parameter.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    type: str | None = None
    """
    Type of the parameter.
    """
    editable: bool | None = None
    """
    Whether the parameter can be edited.
    """
    required: bool | None = None
    """
    Whether the parameter is required.
    """
    sensitive: bool | None = None
    """
    Whether the parameter is sensitive.
    """
    valid_type: str | None = None
    """
    Valid type.
    """
    valid_range: list[str] | None = None
    """
    Valid range.
    """


class Phase(StrEnum):
    """
    Level-1 phase of the training job. Stable values. Only `Creating`, `Pending` and
    `Running` can be terminated.

    """

    Creating = "Creating"
    Pending = "Pending"
    Running = "Running"
    Failed = "Failed"
    Completed = "Completed"
    Terminating = "Terminating"
    Terminated = "Terminated"
    Abnormal = "Abnormal"

    @classmethod
    def _missing_(cls, value: object) -> Phase | None:
        # The service adds values before the document does: keep an unknown one as a
        # pseudo-member instead of rejecting the whole answer.
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class Policy(StrEnum):
    """
    Resource policy of the training job. The document lists only `regular`; its own example
    sends `economic`, which is accepted too.

    """

    regular = "regular"
    economic = "economic"

    @classmethod
    def _missing_(cls, value: object) -> Policy | None:
        # The service adds values before the document does: keep an unknown one as a
        # pseudo-member instead of rejecting the whole answer.
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class RemoteConstraint(BaseModel):
    """
    A constraint on a data input.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    data_type: str | None = None
    """
    Type of the data input, including the storage location and the dataset.
    """
    attributes: str | None = None
    """
    Attributes when a dataset is the data input: `data_format` (data format),
    `data_segmentation` (data segmentation) or `dataset_type` (labelling type).

    """


class RewardAttribute(BaseModel):
    """
    A search metric.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    name: str | None = None
    """
    Name of the metric.
    """
    mode: Mode | None = None
    """
    Search direction. `max`: a larger metric value means better performance; `min`: a
    smaller metric value means better performance.

    """
    regex: str | None = None
    """
    Regular expression of the metric.
    """


class Role(StrEnum):
    """
    Role of the task in a heterogeneous job. `learner`: GPUs or CPUs; `worker`: CPUs.

    """

    learner = "learner"
    worker = "worker"

    @classmethod
    def _missing_(cls, value: object) -> Role | None:
        # The service adds values before the document does: keep an unknown one as a
        # pseudo-member instead of rejecting the whole answer.
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class SearchAlgorithmConfig(BaseModel):
    """
    Configuration of a search algorithm.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    name: str | None = None
    """
    Name of the search algorithm.
    """
    params: list[AutoSearchAlgoConfigParameter] | None = None
    """
    Parameters of the search algorithm.
    """


class SearchParameter(BaseModel):
    """
    A hyperparameter to search.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    name: str | None = None
    """
    Name of the hyperparameter.
    """
    param_type: ParamType | None = None
    """
    Type of the parameter. `continuous`: a continuous value; `discreate`: a discrete value.
    The spelling `discreate` is the service's own and is kept as documented (newer
    documents spell it `discrete`).

    """
    lower_bound: str | None = None
    """
    Lower bound of the hyperparameter.
    """
    upper_bound: str | None = None
    """
    Upper bound of the hyperparameter.
    """
    discrete_points_num: str | None = None
    """
    Number of discrete points of a continuous hyperparameter.
    """
    discrete_values: list[str] | None = None
    """
    Discrete values of the hyperparameter.
    """


class SecondaryPhase(StrEnum):
    """
    Level-2 phase of the training job. Internal and subject to change. Without a more
    particular sub-state, a job shows the secondary phase paired with its phase: `Queuing`
    when `Pending`, `Unknown` when `Abnormal`, else the phase's own name (the
    `x-secondary-phase-of` table; provider states create jobs so).

    """

    Creating = "Creating"
    Queuing = "Queuing"
    Running = "Running"
    Failed = "Failed"
    Completed = "Completed"
    Terminating = "Terminating"
    Terminated = "Terminated"
    CreateFailed = "CreateFailed"
    TerminatedFailed = "TerminatedFailed"
    Unknown = "Unknown"
    Lost = "Lost"

    @classmethod
    def _missing_(cls, value: object) -> SecondaryPhase | None:
        # The service adds values before the document does: keep an unknown one as a
        # pseudo-member instead of rejecting the whole answer.
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class TaskEngine(BaseModel):
    """
    Engine a heterogeneous job depends on.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    engine_id: str | None = None
    """
    ID of the engine of the heterogeneous job, e.g. `caffe-1.0.0-python2.7`.
    """
    engine_name: str | None = None
    """
    Name of the engine of the heterogeneous job, e.g. `Caffe`.
    """
    engine_version: str | None = None
    """
    Version of the engine of the heterogeneous job.
    """
    v1_compatible: bool | None = None
    """
    Whether the v1 compatibility mode is used.
    """
    run_user: str | None = None
    """
    UID of the user the engine runs as by default.
    """
    image_url: str | None = None
    """
    URL of the custom image selected by the algorithm.
    """


class TaskInput(BaseModel):
    """
    Input channel of the algorithm.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    name: str | None = None
    """
    Name of the data input channel.
    """
    local_dir: str | None = None
    """
    Local path of the container the data input and output channels are mapped to.
    """
    remote: ObsRemote | None = None


class TaskOutput(BaseModel):
    """
    Output channel of the algorithm.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    name: str | None = None
    """
    Name of the data output channel.
    """
    local_dir: str | None = None
    """
    Local directory of the container the data output channel is mapped to.
    """
    remote: ObsRemote | None = None
    mode: str | None = "upload_periodically"
    """
    Data transfer mode; `upload_periodically` by default.
    """
    period: str | int | None = "30s"
    """
    Data transfer period; `30s` by default. Typed String in the table; the number of
    seconds (as in the document's example for job outputs) is accepted too.

    """


class TaskStatus(BaseModel):
    """
    Status of one task of a training job.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    task: str | None = None
    """
    Name of the task.
    """
    exit_code: int | None = None
    """
    Exit code of the task.
    """
    message: str | None = None
    """
    Error message of the task.
    """


class TerminateTrainingJobRequest(BaseModel):
    """
    The body of a terminate request.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    action_type: ActionType
    """
    Operation to perform on the training job. Use `terminate` to terminate it.
    The document marks this field optional, but the service rejects a request without it
    (400 `ModelArts.2812`), so the contract requires it.

    """


class Volume(BaseModel):
    """
    A volume attached to the training job.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    nfs: NfsVolume | None = None


class AlgorithmParameter(BaseModel):
    """
    A run parameter of a training job.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    name: str | None = None
    """
    Name of the parameter.
    """
    value: str | None = None
    """
    Value of the parameter.
    """
    description: str | None = None
    """
    Description of the parameter.
    """
    constraint: ParameterConstraint | None = None
    i18n_description: I18nDescription | None = None


class AutoSearch(BaseModel):
    """
    Hyperparameter search configuration.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    skip_search_params: str | None = None
    """
    Hyperparameter combinations to skip.
    """
    reward_attrs: list[RewardAttribute] | None = None
    """
    Search metrics.
    """
    search_params: list[SearchParameter] | None = None
    """
    Search parameters.
    """
    algo_configs: list[SearchAlgorithmConfig] | None = None
    """
    Search algorithm configurations.
    """


class FlavorDetailInfo(BaseModel):
    """
    Details of the job's resource flavor.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    max_num: int | None = None
    """
    Maximum number of nodes that can be selected. 1 means distributed mode is not supported.
    """
    cpu: CpuInfo | None = None
    gpu: GpuInfo | None = None
    npu: NpuInfo | None = None
    memory: MemoryInfo | None = None
    disk: FlavorDetailDisk | None = None


class FlavorInfo(BaseModel):
    """
    Details of a resource flavor.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    max_num: int | None = None
    """
    Maximum number of nodes that can be selected. 1 means distributed mode is not supported.
    """
    cpu: CpuInfo | None = None
    gpu: GpuInfo | None = None
    npu: NpuInfo | None = None
    memory: MemoryInfo | None = None
    disk: DiskInfo | None = None


class InputDataInfo(BaseModel):
    """
    The data input: `dataset` (a dataset as data input) or `obs` (an OBS path as data input).

    """

    model_config = ConfigDict(
        extra="allow",
    )
    dataset: DatasetReference | None = None
    obs: ObsLocation | None = None


class JobInput(BaseModel):
    """
    A data input channel of a training job.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    name: str | None = None
    """
    Name of the data input channel.
    """
    description: str | None = None
    """
    Description of the data input channel.
    """
    local_dir: str | None = None
    """
    Local directory of the container the data input channel is mapped to.
    """
    remote: InputDataInfo | None = None
    remote_constraint: list[RemoteConstraint] | None = None
    """
    Constraints on the data input.
    """


class JobOutput(BaseModel):
    """
    A data output channel of a training job.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    name: str | None = None
    """
    Name of the data output channel.
    """
    description: str | None = None
    """
    Description of the data output channel.
    """
    local_dir: str | None = None
    """
    Local directory of the container the data output channel is mapped to.
    """
    remote: ObsRemote | None = None
    mode: str | None = "upload_periodically"
    """
    Data transfer mode; `upload_periodically` by default. Not in Tabla 22; present in the
    document's example and defined for task outputs in Tabla 31.

    """
    period: str | int | None = "30s"
    """
    Data transfer period; `30s` by default. Not in Tabla 22; Tabla 31 types it String, but
    the document's example sends the number 30, so both are accepted.

    """


class Status(BaseModel):
    """
    Status of a training job. Not set when creating a job.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    phase: Phase
    """
    Level-1 phase of the training job. Stable values. Only `Creating`, `Pending` and
    `Running` can be terminated.

    """
    secondary_phase: SecondaryPhase | None = None
    """
    Level-2 phase of the training job. Internal and subject to change. Without a more
    particular sub-state, a job shows the secondary phase paired with its phase: `Queuing`
    when `Pending`, `Unknown` when `Abnormal`, else the phase's own name (the
    `x-secondary-phase-of` table; provider states create jobs so).

    """
    duration: int | None = None
    """
    How long the job has run, in milliseconds.
    """
    node_count_metrics: list[list[int]] | None = None
    """
    Changes in the node count while the job runs. The service may send `null`.
    """
    tasks: list[str] | None = None
    """
    Tasks of the training job.
    """
    start_time: int | str | None = None
    """
    When the job started, as a timestamp. The document's table types it String, but its own
    example and the service send an integer (milliseconds, 0 before the job starts); both
    are accepted.

    """
    task_statuses: list[TaskStatus] | None = None
    """
    Status of each task of the job.
    """


class TaskAlgorithm(BaseModel):
    """
    Algorithm management and configuration of a task.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    code_dir: str | None = None
    """
    Absolute path of the directory holding the algorithm's boot file.
    """
    boot_file: str | None = None
    """
    Absolute path of the algorithm's boot file.
    """
    inputs: TaskInput | None = None
    outputs: TaskOutput | None = None
    engine: TaskEngine | None = None


class TaskFlavor(BaseModel):
    """
    Resource flavor of a training job or an algorithm.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    flavor_id: str | None = None
    """
    ID of the resource flavor.
    """
    flavor_name: str | None = None
    """
    Name of the resource flavor.
    """
    max_num: int | None = None
    """
    Maximum number of nodes of the resource flavor.
    """
    flavor_type: FlavorType | None = None
    billing: BillingInfo | None = None
    flavor_info: FlavorInfo | None = None
    attributes: dict[str, str] | None = None
    """
    Other specification attributes.
    """


class AlgorithmPolicies(BaseModel):
    """
    Policies the job supports.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    auto_search: AutoSearch | None = None


class FlavorDetail(BaseModel):
    """
    Resource flavor of a training job or an algorithm.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    flavor_type: FlavorType | None = None
    billing: BillingInfo | None = None
    flavor_info: FlavorDetailInfo | None = None
    attributes: dict[str, str] | None = None
    """
    Other specification attributes. Not in Tabla 45; present in the document's example and
    defined for task flavors in Tabla 35.

    """


class JobAlgorithm(BaseModel):
    """
    Algorithm of a training job. Given one of three ways: `id` alone (an algorithm from
    algorithm management); `subscription_id` + `item_version_id` (a subscribed algorithm);
    `code_dir` + `boot_file` (the job's own code).

    """

    model_config = ConfigDict(
        extra="allow",
    )
    id: str | None = None
    """
    ID of the algorithm, when the job uses an algorithm from algorithm management.
    """
    name: str | None = None
    """
    Name of the algorithm.
    """
    subscription_id: str | None = None
    """
    Subscription ID of a subscribed algorithm. Used together with `item_version_id`.
    """
    item_version_id: str | None = None
    """
    Version ID of a subscribed algorithm. Used together with `subscription_id`.
    """
    code_dir: str | None = None
    """
    Code directory of the job, e.g. `/usr/app/`. Used together with `boot_file`; leave empty
    when `id` or `subscription_id` + `item_version_id` is set.

    """
    boot_file: str | None = None
    """
    Boot file of the job, stored in the code directory, e.g. `/usr/app/boot.py`. Used together
    with `code_dir`; leave empty when `id` or `subscription_id` + `item_version_id` is set.

    """
    autosearch_config_path: str | None = None
    """
    Path of the YAML configuration of an auto search job. An OBS URL is required.
    """
    autosearch_framework_path: str | None = None
    """
    Framework code directory of an auto search job. An OBS URL is required.
    """
    command: str | None = None
    """
    Command that starts the container of the custom image the job uses. Can be set with
    `code_dir`.

    """
    parameters: list[AlgorithmParameter] | None = None
    """
    Run parameters of the training job.
    """
    policies: AlgorithmPolicies | None = None
    inputs: list[JobInput] | None = None
    """
    Data inputs of the training job.
    """
    outputs: list[JobOutput] | None = None
    """
    Data outputs of the training job.
    """
    engine: JobEngine | None = None
    environments: list[dict[str, str]] | None = None
    """
    Environment variables of the training job, as `key: value` maps. Leave empty.
    """


class JobResource(BaseModel):
    """
    Resource flavor of a training job. Give `flavor_id`, or `pool_id` with an optional `flavor_id`.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    policy: Policy | None = None
    """
    Resource policy of the training job. The document lists only `regular`; its own example
    sends `economic`, which is accepted too.

    """
    flavor_id: str | None = None
    """
    ID of the resource flavor of the job. Not supported for dedicated resource pools of CPUs.
    """
    flavor_name: str | None = None
    """
    Read-only flavor name returned by ModelArts when `flavor_id` is used.
    """
    node_count: Annotated[int | None, Field(ge=1)] = None
    """
    Number of resource replicas selected for the training job.
    """
    pool_id: str | None = None
    """
    ID of the resource pool selected for the training job.
    """
    flavor_detail: FlavorDetail | None = None


class JobSpec(BaseModel):
    """
    Specifications of a training job.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    resource: JobResource | None = None
    volumes: list[Volume] | None = None
    """
    Volumes attached to the training job.
    """
    log_export_path: LogExportPath | None = None
    is_hosted_log: bool | None = None
    """
    Whether the job's logs are hosted by ModelArts. Not in Tabla 43; present in the
    document's example.

    """


class JobTask(BaseModel):
    """
    A task of a heterogeneous training job.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    role: Role | None = None
    """
    Role of the task in a heterogeneous job. `learner`: GPUs or CPUs; `worker`: CPUs.

    """
    algorithm: TaskAlgorithm | None = None
    task_resource: TaskFlavor | None = None


class TrainingJob(BaseModel):
    """
    A training job, as the service returns it.
    """

    model_config = ConfigDict(
        extra="allow",
    )
    kind: Kind | None = Kind.job
    """
    Type of the training job; `job` by default. `job`: training job; `hetero_job`:
    heterogeneous job; `autosearch_job`: auto search job; `mrs_job`: MRS job; `edge_job`:
    edge job (the document tags this one as available only in some regions).

    """
    metadata: JobMetadata
    status: Status
    algorithm: JobAlgorithm | None = None
    tasks: list[JobTask] | None = None
    """
    Tasks of a heterogeneous training job.
    """
    spec: JobSpec | None = None
