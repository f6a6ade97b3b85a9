"""Models are built on first use, not on import: importing a package builds none, parsing an
answer builds only the model it reads, and every model still builds when it is used."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from generator.deferred import defer_model_builds

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


def test_importing_the_package_builds_no_model_and_a_parse_builds_only_its_model() -> None:
    # A fresh interpreter: models other tests used are built in this one.
    script = textwrap.dedent(
        """
        import inspect, json
        from importlib import resources
        import pydantic
        from modelarts_training import models

        built = lambda: sorted(
            name for name, value in vars(models).items()
            if inspect.isclass(value) and issubclass(value, pydantic.BaseModel) and name.isidentifier()
            and value.__module__ == models.__name__ and value.__pydantic_complete__
        )
        print(built())
        document = json.loads((resources.files("modelarts_training") / "openapi.json").read_text())
        models.TrainingJob.model_validate(document["components"]["examples"]["TerminatingJob"]["value"])
        print(built())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )

    assert result.stdout.splitlines() == ["[]", "['TrainingJob']"]
