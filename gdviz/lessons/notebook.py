"""A lesson as a Jupyter notebook (nbformat): its text; for each picture, a cell that
builds its scenes with the library, then each question on them with the runs drawn only
up to its step and its answer in a cell hidden until opened (computed from the run, never
written in), then the whole runs' animation."""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from ..scene import PROBLEM_DEFAULTS, Scene
from ..words.i18n import N_, _, joined, language, speaking
from .questions import run_number

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
    from . import paragraphs

    nbformat = import_optional("nbformat", "notebook", N_("writing a notebook"))
    cells = nbformat.v4
    book = cells.new_notebook()
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}
    book.cells.append(cells.new_markdown_cell(  # a paragraph on one line (no stray spaces)
        f"# {lesson.title}\n\n" + "\n\n".join(paragraphs(lesson.text))))
    imports = "import gdviz\nfrom gdviz.lessons import Question, answer\nfrom gdviz.scene import Scene"
    if language() != "en":  # the pictures and answers in the notebook's own language
        imports += f"\n\ngdviz.set_language({language()!r})"
    book.cells.append(cells.new_code_cell(imports))
    answers = lesson.answers()
    asked = [(n, question, answers[n - 1])
             for n, question in enumerate(lesson.questions, start=1)]
    if lesson.questions:
        book.cells.append(cells.new_markdown_cell(
            _("Each question shows the runs only up to its step: answer it before you open "
              "the cell below it (the answer is computed from the run), then go on. The "
              "whole runs play after their questions.")))
    for group in lesson.groups():
        labels = [lesson.labels[n] for n in group]
        book.cells.append(cells.new_markdown_cell(
            "## " + joined(*(_("run {n}: {label}").format(n=run_number(n),
                                                          label=lesson.labels[n])
                             for n in group))))
        book.cells.append(cells.new_code_cell("\n".join(
            f"run_{run_number(n)} = {scene_code(lesson.scenes[n])}.run()  # {lesson.labels[n]}"
            for n in group)))
        for n, question, found in [entry for entry in asked if entry[1].scene in group]:
            heading = _("Question {n} (run {run}, iteration {k})").format(
                n=n, run=run_number(question.scene), k=question.step)
            book.cells.append(cells.new_markdown_cell(f"### {heading}\n\n{found.prompt}"))
            # The runs as far as the question's step: nothing after it is drawn.
            book.cells.append(cells.new_code_cell(_show(
                [f"run_{run_number(m)}.until({question.step})" for m in group], labels)))
            cell = cells.new_code_cell(_answer_code(question))
            # Hidden until opened: JupyterLab and Notebook 7 read the first, Jupyter Book
            # the tag.
            cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
            cell.metadata["tags"] = ["hide-cell"]
            book.cells.append(cell)
        if any(question.scene in group for question in lesson.questions):
            book.cells.append(cells.new_markdown_cell(_("The whole runs:")))
        book.cells.append(cells.new_code_cell(_show([f"run_{run_number(m)}" for m in group],
                                                    labels)))
    for n, cell in enumerate(book.cells):  # the same notebook from the same lesson, byte for byte
        cell.id = f"{lesson.name}-{n}"
    return book


def _show(runs: list[str], labels: list[str]) -> str:
    """The code that animates ``runs`` (one, or several together)."""
    if len(runs) == 1:
        return f"gdviz.animate({runs[0]}, frames={FRAMES})"
    return f"gdviz.compare([{', '.join(runs)}], {labels!r}, frames={FRAMES})"


def _answer_code(question) -> str:
    """The hidden cell that computes a question's answer from its run and prints it."""
    settings = [f"step={question.step}", f"ask={question.ask!r}", f"scene={question.scene}"]
    for name in ("tolerance", "prompt", "options", "right"):
        value = getattr(question, name)
        if value:
            settings.append(f"{name}={value!r}")
    return (f"found = answer(Question({', '.join(settings)}), run_{run_number(question.scene)})\n"
            "print(found.text)\nprint('\\n'.join(found.working))")


def write_notebook(lesson, path) -> Path:
    """Write ``lesson`` as a notebook to ``path`` (whole or not at all)."""
    from .._optional import import_optional
    from ..files import atomic_path

    nbformat = import_optional("nbformat", "notebook", N_("writing a notebook"))
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
