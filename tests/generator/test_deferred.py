"""Models are built on first use, not on import: importing a package builds none, parsing an
answer builds only the model it reads, and every model still builds when it is used."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from generator.deferred import defer_model_builds
from generator.lazy_models import lazy_statements

from .conftest import defined_models, imported_from

LIBRARY_OUTPUT = '''"""Models."""

from __future__ import annotations

from pydantic import BaseModel, Field, RootModel


class Node(BaseModel):
    children: list[Node] | None = None
    tags: Tags | None = None


class Tags(RootModel[list[str]]):
    root: list[str] = Field(max_length=3)


Node.model_rebuild()
'''


def test_the_rewritten_module_defines_no_built_model_until_one_is_used(tmp_path: Path) -> None:
    rewritten = defer_model_builds(LIBRARY_OUTPUT)

    assert "model_rebuild" not in rewritten
    assert "from typing import Generic, TypeVar" in rewritten
    (tmp_path / "deferred_example.py").write_text(rewritten, encoding="utf-8")
    with imported_from(tmp_path, "deferred_example") as module:
        assert [n for n, m in defined_models(module).items() if m.__pydantic_complete__] == []
        node = module.Node.model_validate({"children": [{"tags": ["a"]}]})
        assert node.children[0].tags.root == ["a"]
        assert module.Node.__pydantic_complete__
        assert not module.Tags.__pydantic_complete__  # nested in Node's validator, not built
        assert module.Tags.model_validate(["b"]).root == ["b"]


def test_a_module_without_pydantic_models_is_left_as_it_is() -> None:
    enums_only = "from enum import Enum\n\n\nclass Colour(Enum):\n    red = 'red'\n"

    assert defer_model_builds(enums_only) == enums_only


def test_importing_the_package_creates_no_model_and_a_parse_only_what_it_reads() -> None:
    # A fresh interpreter: models other tests used are created and built in this one.
    script = textwrap.dedent(
        """
        import inspect, json
        from importlib import resources
        import pydantic
        import modelarts_training
        from modelarts_training import models

        def created():
            return {name for name in models.__all__ if name in vars(models)}

        def built():
            return sorted(
                name for name in created()
                if issubclass(vars(models)[name], pydantic.BaseModel)
                and vars(models)[name].__pydantic_complete__
            )

        print(len(created()), built())
        document = json.loads((resources.files("modelarts_training") / "openapi.json").read_text())
        example = document["components"]["examples"]["TerminatingJob"]["value"]
        modelarts_training.TrainingJob.model_validate(example)
        print("ErrorResponse" in created(), built())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )

    # Importing creates no model; reading a job creates the models a job holds (not the error
    # body's) and builds one validator, TrainingJob's, which holds the others.
    assert result.stdout.splitlines() == ["0 []", "False ['TrainingJob']"]


def test_each_statement_is_placed_with_the_names_it_refers_to() -> None:
    placed = lazy_statements(defer_model_builds(LIBRARY_OUTPUT))

    assert placed is not None
    prelude_end, statements = placed
    assert list(statements) == ["Node", "Tags"]
    assert statements["Node"][2] == ("Tags",)  # asking for Node defines Tags too
    assert prelude_end < statements["Node"][0]


def test_a_models_module_with_a_statement_it_cannot_place_stays_eager() -> None:
    # The library's own model_rebuild() calls, or any other statement among the definitions.
    assert lazy_statements(LIBRARY_OUTPUT) is None
