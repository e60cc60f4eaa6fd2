"""The Python examples of README.md run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_readme_example(number: int) -> None:
    code = compile(EXAMPLES[number], f"README.md example {number + 1}", "exec")
    exec(code, {"__name__": f"readme_example_{number + 1}"})
