"""Chinese for the seed's readers: the language is chosen by --lang, GDVIZ_LANG or the
locale; the catalogue is complete and up to date with the code; the blog's last line
never changes."""
import re
import subprocess
import sys

import click
import numpy as np
import pytest

import gdviz
from gdviz.words import i18n


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("argv, environ, expected", [
    (["seed", "--lang", "zh"], {}, "zh"),
    (["--lang=zh", "seed"], {"GDVIZ_LANG": "en"}, "zh"),  # the option before the variable
    (["seed"], {"GDVIZ_LANG": "zh", "LANG": "en_GB.UTF-8"}, "zh"),
    (["seed"], {"LANG": "zh_CN.UTF-8"}, "zh"),
    (["seed"], {"LANGUAGE": "fr:zh_TW", "LANG": "en_US.UTF-8"}, "zh"),  # the first known
    (["seed"], {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL before LANG
    (["seed"], {"LC_MESSAGES": "zh_CN", "LANG": "de_DE"}, "zh"),
    (["seed"], {"LANG": "fr_FR.UTF-8"}, "en"),  # a locale gdviz does not speak: English
    (["seed"], {}, "en"),
    (["run", "--", "--lang", "zh"], {}, "en"),
])
def test_the_language_comes_from_the_option_the_variable_or_the_locale(argv, environ,
                                                                       expected):
    assert i18n.language_from(argv, environ) == expected


def test_a_language_gdviz_does_not_speak_is_refused_in_one_line():
    with pytest.raises(ValueError, match=r"unknown language 'fr' \(known: en \(English\), "
                                         r"zh \(简体中文\)\)"):
        i18n.language_from(["--lang", "fr"], {})
    with pytest.raises(ValueError, match="unknown language 'klingon'"):
        i18n.language_from([], {"GDVIZ_LANG": "klingon"})
    for args, env in ((["list"], {"GDVIZ_LANG": "xx"}),):  # the variable's path, end to end
        done = subprocess.run([sys.executable, "-m", "gdviz", *args], capture_output=True,
                              text=True, env={"PATH": "/usr/bin:/bin", **env})
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
        assert "unknown language" in done.stderr


def test_set_language_speaks_from_the_catalogue():
    from gdviz.words.ending import ending_words  # noqa: F401 - a module that speaks

    i18n.set_language("zh_CN.UTF-8")
    assert i18n.language() == "zh" and i18n._("converged") == "已收敛"
    assert i18n.ngettext("After {count} iteration: {ending}.",
                         "After {count} iterations: {ending}.", 3).format(
        count=3, ending="x") == "经过 3 次迭代：x。"
    i18n.set_language("en")
    assert i18n._("converged") == "converged"


def test_a_run_made_in_english_says_why_it_stopped_in_the_language_spoken_later():
    """A run's stop words are made as it runs; shown after set_language("zh") (or on a
    Chinese page, or kept through a worker's pickle), they are said again in Chinese."""
    import pickle

    from gdviz import optim, problems, stop
    from gdviz.words.ending import summary_lines

    trace = gdviz.run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
                      stop=stop.LossImprovement(0.01))
    english = trace.stop_detail
    assert english.startswith("the loss fell by ") and isinstance(english, str)
    again = pickle.loads(pickle.dumps(trace.stop_detail))
    assert again == english
    i18n.set_language("zh")
    fell = f"{trace.loss[-2] - trace.loss[-1]:.3g}"
    assert i18n.again(english) == f"损失下降了 {fell}，不超过容差 0.01"
    assert i18n.again(again) == i18n.again(english)
    assert any(i18n.again(english) in line for line in summary_lines(trace))
    assert i18n.again("words that were never a sentence") == "words that were never a sentence"


def _seed(*args, env=None):
    base = {"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-m", "gdviz", "seed", "--seed", "0", "--no-show",
                           *args], capture_output=True, text=True, env={**base, **(env or {})})


def test_gdviz_seed_in_chinese_keeps_the_blogs_last_line():
    english = _seed()
    assert english.returncode == 0, english.stderr
    # The option's path end to end (the variable and the locale: language_from, above).
    for args, env in ((["--lang", "zh"], None), ([], {"LANG": "zh_CN.UTF-8"})):
        chinese = _seed(*args, env=env)
        assert chinese.returncode == 0, chinese.stderr
        assert "迭代次数：  1161" in chinese.stdout and "最终损失：" in chinese.stdout
        assert "iterations:" not in chinese.stdout
        # the blog's own print(b0, b1), byte for byte
        assert chinese.stdout.splitlines()[-1] == english.stdout.splitlines()[-1]
        assert chinese.stdout.splitlines()[-1] == "49.48015552913878 42.43226076776362"


def test_the_catalogue_is_complete_and_up_to_date_with_the_code():
    """Every sentence the code says is in the Chinese catalogue, translated, not fuzzy,
    with the English placeholders; none it no longer says; the .mo is the .po compiled.
    (Fix: python -m gdviz.words.catalogue update, translate, compile.)"""
    pytest.importorskip("babel", reason="Babel (pip install 'gdviz[translate]') extracts the "
                                        "sentences: the catalogue was not checked")
    from gdviz.words import catalogue

    assert catalogue.problems("zh") == []
    assert catalogue.placeholders("{rate:.3g} of {count} {{literal}}") == {"rate", "count"}


def test_a_chinese_picture_renders_with_no_missing_glyph_on_a_machine_with_no_cjk_font(
        tmp_path, recwarn):
    """The shipped subset of Noto Sans SC holds every character of the catalogue, and
    matplotlib falls back to it after DejaVu Sans, aligned text included."""
    from matplotlib.ft2font import FT2Font

    import gdviz
    from gdviz.words import fonts

    charmap = FT2Font(str(fonts.FONT)).get_charmap()
    assert {c for c in fonts.catalogue_characters() if ord(c) not in charmap} == set(), \
        "remake the subset: python -m gdviz.words.fonts NotoSansCJK-Regular.ttc"
    i18n.set_language("zh")
    trace = gdviz.run(gdviz.problems.Quadratic(), gdviz.optim.momentum(learning_rate=0.05),
                      stop=gdviz.stop.MaxIter(40))
    anim = gdviz.animate(trace, layout="full", frames=4)
    anim.save(tmp_path / "zh.png", progress=False)
    from matplotlib.text import Text

    texts = [t.get_text() for t in anim._fig.findobj(Text)]
    assert any("迭代" in text for text in texts)  # the picture does speak Chinese
    glyphs = [str(w.message) for w in recwarn if "Glyph" in str(w.message)]
    assert glyphs == []
    assert (tmp_path / "zh.png").stat().st_size > 10_000


def test_a_character_no_font_has_is_said_once_in_one_line(capsys):
    from gdviz.words import fonts

    fonts._said = False
    fonts.check_text("b0 and b1")  # nothing to say for Latin letters
    fonts.check_text("\U00020000 列")  # an ideograph beyond the subset, none installed here
    fonts.check_text("\U00020001")
    said = capsys.readouterr().err
    if said:  # a machine with a CJK font that has it says nothing
        assert said.count("\n") == 1 and "install a CJK font" in said and "\U00020000" in said


def test_a_column_name_no_font_draws_is_said_once_and_left_out_of_the_picture(
        tmp_path, recwarn, capsys):
    """A user's Chinese column names: what the shipped font or the system's draw is drawn
    (分数), what none draws is said once, in one line, and left out, not drawn as boxes."""
    from matplotlib.text import Text

    from gdviz.words import fonts

    fonts._said = False
    if ord("龘") in fonts._drawn_codes():
        pytest.skip("a CJK font here draws 龘: nothing is left out (the fallback is checked "
                    "on a machine with no CJK font, such as CI's)")
    x = np.linspace(0.0, 1.0, 20)
    problem = gdviz.problems.LinearRegression(x, 2 * x + 1).name_columns(["龘 hours"], "分数")
    trace = gdviz.run(problem, gdviz.optim.gd(learning_rate=0.1), stop=gdviz.stop.MaxIter(30))
    anim = gdviz.animate(trace, layout="classic", frames=3)
    anim.save(tmp_path / "columns.png", progress=False)
    texts = [t.get_text() for t in anim._fig.findobj(Text)]
    assert "hours" in texts and "分数" in texts
    assert not any("龘" in text for text in texts)
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "install a CJK font" in said and "龘" in said
    assert [str(w.message) for w in recwarn if "Glyph" in str(w.message)] == []


@pytest.mark.parametrize("args, words", [
    (["run", "quadratic", "--lr", "-1"], "'--lr' 的值无效：必须是正数，实际为 -1.0"),
    (["run", "rosenbrok"], "你是不是想输入 'rosenbrock'？"),
    (["seed", "--tol", "x"], "'--tol' 的值无效"),
    (["run", "--csv", "missing.csv", "--x", "a", "--y", "b"], "missing.csv：没有这个文件"),
])
def test_errors_under_lang_zh_are_chinese_one_line_and_exit_2(args, words, tmp_path):
    done = subprocess.run([sys.executable, "-m", "gdviz", *args, "--no-show", "--lang", "zh"],
                          capture_output=True, text=True, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"})
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "：错误：" in done.stderr and words in done.stderr
    assert not list(tmp_path.iterdir())  # nothing written


def test_a_race_and_the_list_in_chinese(tmp_path):
    """The race's picture in Chinese (its start marker found by its id, not its English
    label) and ``gdviz list``'s lines in Chinese."""
    done = subprocess.run([sys.executable, "-m", "gdviz", "compare", "rosenbrock", "--race",
                           "--max-iter", "60", "--frames", "4", "--save",
                           str(tmp_path / "race.png"), "--lang", "zh"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "gdviz compare：rosenbrock" in done.stdout and "次迭代，最终损失" in done.stdout
    assert (tmp_path / "race.png").stat().st_size > 10_000
    listed = subprocess.run([sys.executable, "-m", "gdviz", "list", "--lang", "zh"],
                            capture_output=True, text=True).stdout
    assert "全批量梯度下降（每步用全部数据）；默认学习率" in listed
    assert "一类是圆盘，另一类是围着它的圆环" in listed and "每一步都用同一个学习率。" in listed


def test_the_shipped_chinese_notebooks_are_the_lessons_own():
    """docs/lessons/zh: each lesson's notebook in Chinese, as made now (they run as the
    English ones do, which the lesson tests execute; these set the language first)."""
    nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed: the "
                                   "Chinese notebooks were not checked (pip install -e "
                                   "'.[test]')")
    from test_lessons import shipped_notebooks

    from gdviz import lessons

    with i18n.speaking("zh"):
        for name, shipped in shipped_notebooks(nbformat, "zh").items():
            assert "gdviz.set_language('zh')" in shipped.cells[1].source
            assert shipped.cells[0].source.startswith(f"# {lessons.load(name).title}")


def test_help_under_lang_zh_describes_every_option_in_chinese():
    done = subprocess.run([sys.executable, "-m", "gdviz", "seed", "--help", "--lang", "zh"],
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0
    assert "学习率。" in done.stdout and "当损失的下降不超过这个值时停止。" in done.stdout
    assert "Learning rate." not in done.stdout
    assert done.stdout.startswith("用法：") and "选项" in done.stdout  # Click's own words
    english = subprocess.run([sys.executable, "-m", "gdviz", "seed", "--help"],
                             capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert "Learning rate." in english.stdout and "学习率" not in english.stdout


@pytest.mark.parametrize("command", ["", "seed", "run", "compare", "lesson", "list", "app"])
def test_chinese_help_fits_80_columns_and_breaks_lines_as_chinese_is_set(command):
    """A Chinese character takes two columns: the help fits an 80-column terminal by
    display width, no line starts with a closing mark (、。）), headings end in a
    full-width colon, and every placeholder is a word (no TEXT, PATH, INTEGER RANGE)."""
    from gdviz.words.widths import NO_START, width

    done = subprocess.run([sys.executable, "-m", "gdviz", *filter(None, [command]), "--help",
                           "--lang", "zh"], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(width(line) <= 80 for line in lines), max(lines, key=width)
    assert not [line for line in lines if line.strip() and line.strip()[0] in NO_START]
    assert "选项：" in lines and "选项:" not in done.stdout and "用法：gdviz" in done.stdout
    assert not re.search(r"\b(TEXT|PATH|INTEGER|FLOAT|RANGE)\b", done.stdout), done.stdout
    assert "[默认" not in done.stdout  # Click's [default: …] as Chinese writes it: （默认：…）


def test_every_option_says_what_it_does():
    """No option's help is only Click's ``[default: 1000]``: each says what it sets."""
    from gdviz.cli import cli

    bare = [f"{name} {option.opts[0]}" for name, command in cli.commands.items()
            for option in command.params
            if isinstance(option, click.Option) and not option.hidden and not option.help]
    assert bare == []


def test_chinese_markdown_has_no_line_break_inside_a_paragraph():
    """A line break inside a paragraph renders as a space, which Chinese does not have
    (文章： 那篇文章): README.zh-CN.md and the Chinese notebooks keep each paragraph on
    one line (code blocks, lists and tables aside)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    texts = {name: (root / name).read_text(encoding="utf-8")
             for name in ("README.zh-CN.md", "docs/gallery/README.zh-CN.md")}
    for path in sorted((root / "docs" / "lessons" / "zh").glob("*.ipynb")):
        import json

        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts[path.name] = "\n\n".join("".join(cell["source"]) for cell in cells
                                         if cell["cell_type"] == "markdown")
    for name, text in texts.items():
        prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
        broken = re.findall(r"[^\x00-\u2e7f]\n[^\x00-\u2e7f\s]", prose)
        assert not broken, (name, broken)


def test_the_html_player_in_chinese_carries_a_font_for_its_own_characters(tmp_path):
    """A self-contained page: its controls in Chinese and, embedded, the subset cut to
    exactly the CJK characters it shows (a browser with no CJK font shows them)."""
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    import gdviz

    i18n.set_language("zh")
    trace = gdviz.run(gdviz.problems.Quadratic(), gdviz.optim.gd(learning_rate=0.1),
                      stop=gdviz.stop.MaxIter(20))
    page = gdviz.animate(trace, frames=4).save(tmp_path / "zh.html", progress=False)
    text = page.read_text(encoding="utf-8")
    assert '<html lang="zh">' in text and "播放或暂停" in text and "速度" in text
    font = re.search(r'url\("data:font/ttf;base64,([A-Za-z0-9+/=]+)"\)', text).group(1)
    cmap = TTFont(io.BytesIO(base64.b64decode(font))).getBestCmap()
    shown = {c for c in text if 0x2E80 <= ord(c)}
    assert shown and {c for c in shown if ord(c) not in cmap} == set()
    assert len(font) < 200_000  # the page's own characters, not the whole subset
    i18n.set_language("en")  # a run made in English (its stop words are made as it stops)
    trace = gdviz.run(gdviz.problems.Quadratic(), gdviz.optim.gd(learning_rate=0.1),
                      stop=gdviz.stop.MaxIter(20))
    english = gdviz.animate(trace, frames=4).save(tmp_path / "en.html", progress=False)
    assert "font-face" not in english.read_text(encoding="utf-8")


def test_every_built_in_lesson_reads_in_chinese_and_its_worksheet_is_searchable(tmp_path,
                                                                               recwarn):
    """The lessons' own words (title, text, labels) in Chinese; every computed word from
    the catalogue; the worksheet's Chinese text real (searchable) and with no box."""
    from pypdf import PdfReader

    from gdviz import lessons
    from gdviz.lessons.worksheet import write_worksheet

    english = {name: lessons.load(name) for name in lessons.builtin()}
    i18n.set_language("zh")
    for name, lesson in english.items():
        chinese = lessons.load(name)
        assert chinese.title != lesson.title and any(ord(c) >= 0x2E80 for c in chinese.title)
        assert len(chinese.labels) == len(lesson.labels)
        assert chinese.scenes == lesson.scenes and chinese.questions == lesson.questions
        for paragraph in lessons.paragraphs(chinese.text):  # no space between characters
            assert "\n" not in paragraph
            assert re.search("[\u2e80-\uffef] [\u2e80-\uffef]", paragraph) is None
    lesson = lessons.load("learning-rate")
    path = write_worksheet(lesson, tmp_path / "学习率.pdf")
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "学习率" in text and "第 1 题（共 4 题）" in text and "答案" in text
    assert [str(w.message) for w in recwarn if "Glyph" in str(w.message)] == []
    assert lessons.paragraphs("线性\n回归 and\nmore") == ["线性回归 and more"]


def test_every_gb2312_character_draws_so_a_chinese_csv_header_is_never_boxes(
        tmp_path, recwarn, capsys):
    """The shipped subset holds all 6,763 characters of GB 2312 (and its CJK punctuation):
    a CSV with the columns 面积,房价 draws both names, with no missing glyph and nothing
    said."""
    from matplotlib.ft2font import FT2Font
    from matplotlib.text import Text

    from gdviz.words import fonts

    charmap = FT2Font(str(fonts.FONT)).get_charmap()
    wanted = fonts.gb2312_characters()
    assert len([c for c in wanted if 0x4E00 <= ord(c) <= 0x9FFF]) == 6763
    assert {c for c in wanted if ord(c) not in charmap} == set(), \
        "remake the subset: python -m gdviz.words.fonts NotoSansCJK-Regular.ttc"
    csv = tmp_path / "房子.csv"
    csv.write_text("面积,房价\n" + "".join(f"{50 + 10 * k},{100 + 25 * k}\n" for k in range(12)),
                   encoding="utf-8")
    fonts._said = False
    from gdviz.data import load_csv

    x, y = load_csv(csv, ["面积"], "房价")
    problem = gdviz.problems.LinearRegression(x, y, standardize=True).name_columns(["面积"], "房价")
    trace = gdviz.run(problem, gdviz.optim.gd(learning_rate=0.1), stop=gdviz.stop.MaxIter(20))
    anim = gdviz.animate(trace, layout="classic", frames=3)
    anim.save(tmp_path / "house.png", progress=False)
    texts = [t.get_text() for t in anim._fig.findobj(Text)]
    assert "面积" in texts and "房价" in texts
    assert [str(w.message) for w in recwarn if "Glyph" in str(w.message)] == []
    assert "install a CJK font" not in capsys.readouterr().err


def test_chinese_is_never_slanted():
    """No font has italic Chinese: the page's caption, its charts' axis labels and colour
    bar, and the HTML player's caption are upright in Chinese (a browser would fake it)."""
    pytest.importorskip("panel", reason="Panel is not installed: the page's styles were not "
                        "checked (pip install -e '.[app]')")
    from bokeh.models import ColorBar

    from gdviz.app.playground import Playground
    from gdviz.html import _TEMPLATE

    chinese, english = Playground({"lang": "zh"}), Playground({})
    assert chinese.figure.caption.styles["font-style"] == "normal"
    assert english.figure.caption.styles["font-style"] == "italic"
    for chart in (chinese.figure.contour, chinese.figure.loss_chart):
        assert {axis.axis_label_text_font_style for axis in chart.axis} == {"normal"}
    assert [bar.title_text_font_style for bar in
            chinese.figure.contour.select({"type": ColorBar})] == ["normal"]
    assert "html:lang(zh) #caption {{ font-style: normal; }}" in _TEMPLATE


def test_an_installed_cjk_font_draws_before_the_shipped_subset(monkeypatch):
    """Where the machine has a CJK font of its own, pictures use it first (every character
    its maker drew); the shipped subset stays the fallback after it."""
    import matplotlib
    from matplotlib import font_manager

    from gdviz.words import fonts

    entry = font_manager.FontEntry(fname=str(fonts.FONT), name="WenQuanYi Zen Hei")
    monkeypatch.setattr(font_manager.fontManager, "ttflist",
                        font_manager.fontManager.ttflist + [entry])
    monkeypatch.setattr(fonts, "_registered", False)
    with matplotlib.rc_context({"font.family": ["sans-serif"]}):
        fonts.use()
        families = list(matplotlib.rcParams["font.family"])
    assert families.index("WenQuanYi Zen Hei") < families.index(fonts.FAMILY)
    assert families[0] == "sans-serif"


def test_the_page_fetches_the_catalogues_cut_of_the_font_and_the_whole_for_the_rest():
    """A browser with no CJK font fetches the catalogues' characters only (a class of
    browsers at once) while the page says nothing else in Chinese; a character outside
    the cut (a CSV's 房价) fetches the whole shipped font (GB 2312), never a box."""
    pytest.importorskip("panel", reason="Panel is not installed: the page's font was not "
                        "checked (pip install -e '.[app]')")
    from matplotlib.ft2font import FT2Font

    from gdviz.app.style import use_shipped_font
    from gdviz.words import fonts

    web = FT2Font(str(fonts.WEB_FONT)).get_charmap()
    assert {c for c in fonts.catalogue_characters() if ord(c) not in web} == set()
    assert len(web) < len(FT2Font(str(fonts.FONT)).get_charmap()) / 5
    import panel as pn

    use_shipped_font()
    css = "\n".join(pn.config.raw_css)
    faces = re.findall(r'font-family: "([^"]+)"; src: url\("/gdviz-fonts/([^"]+)"\) '
                       r'format\("truetype"\); unicode-range: ([^;]+);', css)
    assert faces and {name for _f, name, _r in faces} == {fonts.WEB_FONT.name, fonts.FONT.name}

    def covers(ranges: str, character: str) -> bool:
        for part in ranges.split(", "):
            low, _dash, high = part[2:].partition("-")
            if int(low, 16) <= ord(character) <= int(high or low, 16):
                return True
        return False

    for (family, whole, everything), (same, cut, held) in zip(faces[::2], faces[1::2]):
        # The face defined last is tried first: the cut, for the characters it holds.
        assert family == same and (whole, cut) == (fonts.FONT.name, fonts.WEB_FONT.name)
        assert all(covers(held, c) for c in fonts.catalogue_characters() if fonts.cjk(c))
        assert not covers(held, "房") and covers(everything, "房")


def test_the_catalogue_and_the_lessons_follow_the_glossary():
    """docs/zh-glossary.md: one term per concept. No translation or Chinese lesson uses a
    word of its 不用 column (once every chosen term is set aside: 偏差修正 is Adam's, 偏差
    alone is not b0's), and the pickers' and parameters' words are the glossary's."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[1]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in (root / "docs" / "zh-glossary.md").read_text(encoding="utf-8")
            .splitlines() if line.startswith("| ") and not line.startswith("| English")]
    chosen = [term.strip() for row in rows for term in row[1].split(",") if term.strip()]
    avoided = {term.strip(): row[0] for row in rows for term in row[2].split(",")
               if term.strip()}
    assert {"批大小", "偏差", "局部最小值", "练习单"} <= set(avoided)
    with open(root / "gdviz" / "locale" / "zh" / "LC_MESSAGES" / "gdviz.po", "rb") as po:
        catalog = read_po(po)
    texts = {}
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            texts[f"msgid {message.id!r}"] = " ".join(strings)
    for lesson in (root / "gdviz" / "lessons" / "zh").glob("*.toml"):
        texts[lesson.name] = lesson.read_text(encoding="utf-8")
    found = []
    for where, text in texts.items():
        for term in sorted(chosen, key=len, reverse=True):
            text = text.replace(term, "")
        found += [(where, word, avoided[word]) for word in avoided if word in text]
    assert found == []
    words = {message.id: message.string for message in catalog if isinstance(message.id, str)}
    assert (words["intercept"], words["bias"]) == ("截距", "偏置")
    assert (words["problem"], words["question"]) == ("目标函数", "题目")


def test_help_placeholders_are_in_chinese():
    """``--help``'s placeholders of gdviz's own checks (a positive number, a share, a
    size in inches) in the language spoken, as their error messages are."""
    from click.testing import CliRunner

    from gdviz.cli import cli

    i18n.set_language("zh")
    try:
        said = CliRunner().invoke(cli, ["compare", "--help"]).output
    finally:
        i18n.set_language("en")
    assert "--lr 正数" in said and "--noise 零或正数" in said and "--size 宽x高（英寸）" in said
    assert "A POSITIVE NUMBER" not in said and "INCHES" not in said
    english = CliRunner().invoke(cli, ["compare", "--help"]).output
    assert "--lr A POSITIVE NUMBER" in english


def test_chinese_pictures_carry_no_english_word_outside_the_names_that_are_names(tmp_path):
    """The blog's run in the full layout, a race, and the logistic, saddle and network
    lessons, drawn in Chinese: every word of three or more Latin letters is a name (an
    optimizer, an activation, a function, a parameter's), never English left over."""
    import re

    from matplotlib.text import Text

    from gdviz.lessons import load

    allowed = set("gd sgd adam adamw momentum nesterov adagrad rmsprop tanh relu sigmoid mlp "
                  "rosenbrock rastrigin himmelblau beale booth quadratic log exp sqrt mean "
                  "layer pca blobs moons circles xor spirals".split())  # data sets' names
    i18n.set_language("zh")
    try:
        pictures = {"seed": gdviz.animate(gdviz.run(
            gdviz.problems.LinearRegression.seed(seed=0), gdviz.optim.gd(learning_rate=0.005),
            stop=gdviz.stop.LossImprovement(0.01)), layout="full", frames=3)}
        runs = [gdviz.run(gdviz.problems.Rosenbrock(), optimizer, stop=gdviz.stop.MaxIter(300))
                for optimizer in (gdviz.optim.gd(learning_rate=0.001),
                                  gdviz.optim.momentum(learning_rate=0.0005),
                                  gdviz.optim.adam(learning_rate=0.05))]
        pictures["race"] = gdviz.compare(runs, ["gd", "momentum", "adam"], frames=3)
        for name in ("logistic", "saddles", "network"):
            lesson = load(name)
            group = lesson.groups()[0]
            pictures[name] = gdviz.compare([lesson.traces()[n] for n in group],
                                           [lesson.labels[n] for n in group], frames=3)
        english = {}
        for name, picture in pictures.items():
            picture.save(tmp_path / f"{name}.png", progress=False)
            texts = [t.get_text() for t in picture._fig.findobj(Text)
                     if not t.get_text().startswith("$")]  # mathtext: tick labels
            words = {w for text in texts for w in re.findall(r"[A-Za-z]{3,}", text)
                     if w.lower() not in allowed}
            if words:
                english[name] = sorted(words)
    finally:
        i18n.set_language("en")
    assert english == {}
