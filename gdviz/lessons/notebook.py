"""A lesson as a Jupyter notebook (nbformat): its text, a cell per picture that builds
the scenes with the library and shows their animation, and each question with its answer
in a cell hidden until opened (computed from the run, never written in)."""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from ..scene import PROBLEM_DEFAULTS, Scene
from ..words.i18n import _, language, speaking

#: Frames of each animation in a notebook: enough to watch, small enough to keep.
FRAMES = 20


def scene_code(scene: Scene) -> str:
    """``Scene.of(...)`` with the settings that differ from the problem's own."""
    own = PROBLEM_DEFAULTS.get(scene.problem, {})
    parts = [repr(scene.problem)]
    for field in fields(Scene):
        value = getattr(scene, field.name)
        if field.name != "problem" and value != own.get(field.name, field.default):
            parts.append(f"{field.name}={value!r}")
    return f"Scene.of({', '.join(parts)})"


def make_notebook(lesson):
    """The notebook (an ``nbformat`` NotebookNode) of ``lesson``."""
    from .._optional import import_optional

    nbformat = import_optional("nbformat", "notebook", "writing a notebook")
    cells = nbformat.v4
    book = cells.new_notebook()
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}
    book.cells.append(cells.new_markdown_cell(f"# {lesson.title}\n\n{lesson.text}"))
    imports = "import gdviz\nfrom gdviz.lessons import Question, answer\nfrom gdviz.scene import Scene"
    if language() != "en":  # the pictures and answers in the notebook's own language
        imports += f"\n\ngdviz.set_language({language()!r})"
    book.cells.append(cells.new_code_cell(imports))
    for group in lesson.groups():
        labels = [lesson.labels[n] for n in group]
        lines = [f"run_{n} = {scene_code(lesson.scenes[n])}.run()  # {lesson.labels[n]}"
                 for n in group]
        if len(group) == 1:
            lines.append(f"gdviz.animate(run_{group[0]}, frames={FRAMES})")
        else:
            lines.append(f"gdviz.compare([{', '.join(f'run_{n}' for n in group)}], "
                         f"{labels!r}, frames={FRAMES})")
        book.cells.append(cells.new_markdown_cell(
            "## " + ", ".join(_("run {n}: {label}").format(n=n, label=lesson.labels[n])
                              for n in group)))
        book.cells.append(cells.new_code_cell("\n".join(lines)))
    if lesson.questions:
        book.cells.append(cells.new_markdown_cell(
            "## " + _("Questions") + "\n\n" + _("Answer each before you open the cell below "
                                                  "it: the answer is computed from the run.")))
    for n, (question, found) in enumerate(zip(lesson.questions, lesson.answers()), start=1):
        book.cells.append(cells.new_markdown_cell(
            f"**{_('Question {n}').format(n=n)}** ({_('run')} {question.scene}, "
            f"{lesson.labels[question.scene]}): {found.prompt}"))
        code = (f"found = answer(Question(step={question.step}, ask={question.ask!r}, "
                f"scene={question.scene}"
                + (f", tolerance={question.tolerance!r}" if question.tolerance else "")
                + (f", prompt={question.prompt!r}" if question.prompt else "")
                + f"), run_{question.scene})\nprint(found.text)\nprint('\\n'.join(found.working))")
        cell = cells.new_code_cell(code)
        # Hidden until opened: JupyterLab and Notebook 7 read the first, Jupyter Book the tag.
        cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
        cell.metadata["tags"] = ["hide-cell"]
        book.cells.append(cell)
    for n, cell in enumerate(book.cells):  # the same notebook from the same lesson, byte for byte
        cell.id = f"{lesson.name}-{n}"
    return book


def write_notebook(lesson, path) -> Path:
    """Write ``lesson`` as a notebook to ``path`` (whole or not at all)."""
    from .._optional import import_optional
    from ..files import atomic_path

    nbformat = import_optional("nbformat", "notebook", "writing a notebook")
    book = make_notebook(lesson)
    nbformat.validate(book)
    path = Path(path)
    with atomic_path(path) as temporary:
        nbformat.write(book, temporary)
    return path


def write_builtin(folder, lang: str | None = None) -> list[Path]:
    """Every built-in lesson as ``NN-name.ipynb`` in ``folder``, in ``lang`` (default: the
    language spoken). ``docs/lessons`` ships them in English and ``docs/lessons/zh`` in
    Chinese: ``python -m gdviz.lessons.notebook docs/lessons [zh]``."""
    from . import builtin, load

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with speaking(lang):
        return [write_notebook(load(name), folder / f"{number:02d}-{name}.ipynb")
                for number, name in enumerate(builtin(), start=1)]


if __name__ == "__main__":
    import sys

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/lessons")
    lang = sys.argv[2] if len(sys.argv) > 2 else "en"
    for written in write_builtin(folder / lang if lang != "en" else folder, lang):
        print(written)
