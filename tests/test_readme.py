"""Every Python block in the README runs as written, in order, in one namespace (as a
reader pasting them one after another would)."""
import re
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def python_blocks():
    return re.findall(r"^```python\n(.*?)^```$", README.read_text(), flags=re.S | re.M)


def test_the_readme_has_python_blocks():
    assert len(python_blocks()) >= 2


def test_every_python_block_in_the_readme_runs(tmp_path, monkeypatch):
    import shutil

    # The blocks save files: run them in a scratch folder holding the example data, as the
    # checkout does (a reader runs them from its root).
    shutil.copytree(README.parent / "docs" / "data", tmp_path / "docs" / "data")
    monkeypatch.chdir(tmp_path)
    namespace = {}
    for number, block in enumerate(python_blocks(), start=1):
        exec(compile(block, f"README.md python block {number}", "exec"), namespace)
    assert (tmp_path / "descent.gif").stat().st_size > 0
    assert (tmp_path / "race.gif").stat().st_size > 0
