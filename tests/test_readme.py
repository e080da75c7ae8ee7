"""Every Python block in the README runs as written, in order, in one namespace (as a
reader pasting them one after another would)."""
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"


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


README_ZH = README.with_name("README.zh-CN.md")


def test_the_chinese_readme_is_linked_keeps_the_set_up_and_its_python_runs(tmp_path,
                                                                           monkeypatch):
    """README.zh-CN.md: linked from the top of the README, the same two set-up commands,
    and its Python blocks run as written (in Chinese: the words are the catalogue's)."""
    from gdviz.words import i18n

    english, chinese = README.read_text(), README_ZH.read_text()
    assert "(README.zh-CN.md)" in english.split("\n## ")[0]
    setup = re.findall(r"^```bash\n(.*?)^```$", english, flags=re.S | re.M)[0]
    assert re.findall(r"^```bash\n(.*?)^```$", chinese, flags=re.S | re.M)[0] == setup
    blocks = re.findall(r"^```python\n(.*?)^```$", chinese, flags=re.S | re.M)
    assert blocks
    monkeypatch.chdir(tmp_path)
    namespace = {}
    try:
        for number, block in enumerate(blocks, start=1):
            exec(compile(block, f"README.zh-CN.md python block {number}", "exec"), namespace)
    finally:
        i18n.set_language("en")
    assert (tmp_path / "下降.gif").stat().st_size > 0
    # The seed's summary shown in it is what gdviz seed --lang zh prints.
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "gdviz", "seed", "--seed", "0", "--lang", "zh",
                           "--no-show"], capture_output=True, text=True, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"})
    shown = chinese.split("$ gdviz seed --seed 0 --lang zh\n")[1].split("```")[0].splitlines()
    printed = done.stdout.splitlines()
    assert [line for line in printed if not line.startswith("已保存")] == \
        [line for line in shown if not line.startswith("已保存")]


def test_every_sentence_the_gallery_quotes_is_in_its_picture():
    """The gallery's README quotes the narrator; each quote in a GIF's row is among that
    GIF's captions (its subtitles, written beside it by docs/make_gallery.py)."""
    import html
    import re

    gallery = ROOT / "docs" / "gallery"
    rows = [line for line in (gallery / "README.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| ![](") and ".gif)" in line.split("|")[1]]
    checked = 0
    for row in rows:
        name = re.search(r"!\[\]\((\S+)\.gif\)", row).group(1)
        said = html.unescape((gallery / f"{name}.vtt").read_text(encoding="utf-8"))
        for quote in re.findall(r'"([^"`]+)"', row.split("|")[2]):
            quote = quote.replace("\\|", "|")
            assert quote in said, (name, quote)
            checked += 1
    assert checked >= 8
