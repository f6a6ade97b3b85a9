"""The whole pipeline from a document on disk to every file of its generated project."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from generator.bounds import check_bounds, drop_huge_enums
from generator.config import PackageConfig, check_config, identity, read_config
from generator.deferred import defer_model_builds
from generator.distribution import metadata, pep440
from generator.hoist import hoist_inline
from generator.load import load_api
from generator.model_cache import ModelCache
from generator.models import HEADER, Runner, request_models
from generator.names import nfkc_aliases
from generator.patterns import drop_uncompilable_patterns
from generator.problems import SpecError, SpecProblems, pointer
from generator.project import with_manifest
from generator.readme import usage
from generator.refs import check_refs
from generator.render import render_models_module, render_package
from generator.schemas import check_models
from generator.spec import read_spec
from generator.verify import verify_rendered

#: The config file read when none is named: ``generator.toml`` beside the document.
CONFIG_NAME = "generator.toml"
#: The models module of a document without schemas.
NO_MODELS = f"{HEADER}\n\nfrom __future__ import annotations\n"


def build(
    spec_path: Path,
    templates: Path | None = None,
    config: PackageConfig | None = None,
    *,
    allow_external_refs: bool = False,
    cache: ModelCache | None = None,
    quiet: bool = False,
    folder: str | None = None,
    runner: Runner | None = None,
) -> dict[str, str]:
    """Every file of the generated project for the spec at ``spec_path``, checked to compile;
    without ``config``, the one beside the spec, if any. What the document gets away with is
    told on stderr, one located line each (``warning: FILE#/pointer: message``), unless
    ``quiet``. ``folder`` is the name of the folder it goes to, for the README's install line
    (default: the distribution's name). ``runner`` runs datamodel-code-generator (default: in
    this process).

    :class:`SpecProblems` for a document that cannot be rendered; :class:`BrokenOutput` when
    a rendered file does not compile or parse (a bug of the generator or of ``templates``).
    """
    config = config or config_for(spec_path)
    check_config(config, "the command line")
    spec = read_spec(spec_path)
    if not allow_external_refs:
        check_refs(spec.document, spec_path)
    source = spec.source

    def warn(warning: SpecError) -> None:
        if not quiet:
            print(f"warning: {source}#{warning}", file=sys.stderr)

    exceeded = check_bounds(spec.document)
    if exceeded:
        raise SpecProblems(spec.source, exceeded)
    document, dropped = drop_uncompilable_patterns(spec.document)
    document, huge = drop_huge_enums(document)
    chosen_version = pep440(config.package_version) if config.package_version else None
    meta, unread = metadata(spec.document, chosen_version)
    for warning in [*dropped, *huge, *unread]:
        warn(warning)
    spec = dataclasses.replace(spec, document=document)
    lenient: list[SpecError] = []
    identity_ = identity(config, spec.document)
    api, types = load_api(spec, lenient, frozenset({identity_.base_error}))
    for warning in lenient:
        warn(warning)
    model_document, hoisted = hoist_inline(types.model_document(), types.owners)
    model_names = sorted([*types.names.values(), *types.extra, *hoisted])
    # Asked for first: where a worker runs the library, the rest of the package renders meanwhile.
    models = (
        request_models(
            model_document,
            spec.source,
            base_path=spec_path.resolve().parent,
            allow_external_refs=allow_external_refs,
            cache=cache,
            aliases=nfkc_aliases(model_document),
            origins={
                name: pointer("components", "schemas", key) for key, name in types.names.items()
            },
            warn=warn,
            runner=runner,
        )
        if model_names
        else None
    )
    files = render_package(
        api,
        identity_,
        meta,
        spec.document,
        model_names,
        templates,
        usage=usage(api, spec.document, spec.source),
        folder=folder,
    )
    verify_rendered(files)
    models_source = defer_model_builds(models()) if models is not None else NO_MODELS
    problems = check_models(models_source, model_names)
    if problems:
        raise SpecProblems(spec.source, problems)
    models_files = render_models_module(identity_.package, models_source, templates)
    verify_rendered(models_files)
    files.update(models_files)
    return with_manifest(dict(sorted(files.items())))


def config_for(
    spec_path: Path,
    config_path: Path | None = None,
    package_name: str | None = None,
    package_version: str | None = None,
) -> PackageConfig:
    """The config at ``config_path``, else ``generator.toml`` beside the spec, else none;
    ``package_name`` and ``package_version`` override what it gives."""
    path = config_path or spec_path.parent / CONFIG_NAME
    config = read_config(path) if config_path is not None or path.is_file() else PackageConfig()
    if package_name is not None:
        config = dataclasses.replace(config, package_name=package_name, distribution_name=None)
    if package_version is not None:
        config = dataclasses.replace(config, package_version=package_version)
    return config
