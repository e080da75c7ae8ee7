"""``gdviz lesson``: a lesson's scenes, questions, worksheet and notebook."""
from __future__ import annotations

import click

from ..words.i18n import _, joined
from .options import OUTPUT, PAUSE, POSITIVE_INT, _FileOf, _export_options
from .group import cli
from .deliver import _deliver, _deliver_run


@cli.command(name="lesson", help=_("A lesson: its scenes, what to notice and its questions. "
                                    "NAME_OR_FILE is a built-in lesson (`gdviz lesson list`) "
                                    "or a lesson file (.toml)."))
@click.argument("name", metavar="NAME_OR_FILE")
@click.option("--run", "run", metavar=_("NUMBER"), type=click.IntRange(min=1), default=None,
              help=_("Show only this run (its number, from 1, as the questions say)."))
@click.option("--scene", "only", type=click.IntRange(min=0), default=None, hidden=True,
              help="Show only this scene (its index in the lesson file, from 0).")
@click.option("--answers", is_flag=True, help=_("Also print the answer key (for the teacher)."))
@click.option("--worksheet", metavar=_("FILE.pdf"), type=_FileOf(".pdf"), default=None,
              help=_("Write a printable worksheet: the questions, then the answer key."))
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help=_("The worksheet's paper size."))
@click.option("--key", "key", type=click.Choice(["appended", "separate", "none"]),
              default="appended", show_default=True,
              help=_("The worksheet's answer key: after the questions, in a file of its own "
                     "(NAME-key.pdf), or none."))
@click.option("--compact", is_flag=True, help=_("Two questions on each worksheet page."))
@click.option("--notebook", metavar=_("FILE.ipynb"), type=_FileOf(".ipynb"), default=None,
              help=_("Write the lesson as a Jupyter notebook."))
@click.option("--frames", type=POSITIVE_INT, default=None, help=_("At most N frames (default 60)."))
@click.option("--pause", type=PAUSE, default=0.1, show_default=True,
              help=_("Seconds between frames."))
@click.option("--save", metavar=_("FILE"), type=OUTPUT, default=None,
              help=_("Save the scenes' animation (.gif, .mp4, .html, .png); several pictures "
                   "are numbered: NAME-1.gif, NAME-2.gif, ..."))
@click.option("--no-show", is_flag=True, help=_("Do not open a window."))
@_export_options
def lesson_command(name, run, only, answers, worksheet, paper, key, compact, notebook, frames,
                   pause, save, no_show, fps, dpi, size, quiet, alt_text):
    from .. import lessons

    if name == "list":
        for number, (known, path) in enumerate(lessons.builtin().items(), start=1):
            lesson = lessons.load(path)
            click.echo(_("{number:>2}. {name} {title} ({runs} runs, {questions} questions)")
                       .format(number=number, name=f"{known:<14}", title=lesson.title,
                               runs=len(lesson.scenes), questions=len(lesson.questions)))
        return
    if worksheet is None and (key != "appended" or compact):
        raise click.UsageError(_("--key and --compact shape a worksheet: add --worksheet "
                                 "FILE.pdf"))
    lesson = lessons.load(name).check()
    if run is not None and run > len(lesson.scenes):
        raise click.UsageError(_("--run {run}: the lesson has runs 1 to {last}").format(
            run=run, last=len(lesson.scenes)))
    if only is not None and only >= len(lesson.scenes):
        raise click.UsageError(_("--scene {only}: the lesson has scenes 0 to {last}").format(
            only=only, last=len(lesson.scenes) - 1))
    if run is not None:
        only = run - 1
    click.echo(_("gdviz lesson: {title}").format(title=lesson.title))
    click.echo("")
    for paragraph in lessons.paragraphs(lesson.text):
        click.echo(paragraph)
    click.echo("")
    found = lesson.answers()
    for n, (question, answer) in enumerate(zip(lesson.questions, found), start=1):
        click.echo(_("question {n} (run {run}, {label}): {prompt}").format(
            n=n, run=lessons.run_number(question.scene), label=lesson.labels[question.scene],
            prompt=answer.prompt))
        if answers:
            click.echo(_("   answer: {answer}").format(answer=answer.text))
    if worksheet is not None:
        from ..lessons.worksheet import key_path, write_worksheet

        click.echo(_("worksheet:   {path}").format(path=write_worksheet(
            lesson, worksheet, paper=paper, key=key, compact=compact)))
        if key == "separate":
            click.echo(_("answer key:  {path}").format(path=key_path(worksheet)))
    if notebook is not None:
        from ..lessons.notebook import write_notebook

        click.echo(_("notebook:    {path}").format(path=write_notebook(lesson, notebook)))
    if (worksheet is not None or notebook is not None) and save is None:
        return  # the files were asked for; the pictures too only with --save
    groups = [[only]] if only is not None else lesson.groups()
    traces = lesson.traces()
    export = dict(fps=fps, dpi=dpi, size=size, quiet=quiet, alt_text=alt_text)
    for number, group in enumerate(groups, start=1):
        target = save
        if save is not None and len(groups) > 1:
            target = save.with_name(f"{save.stem}-{number}{save.suffix}")
        default = f"{lesson.name}-{number}.gif" if len(groups) > 1 else f"{lesson.name}.gif"
        runs, labels = [traces[n] for n in group], [lesson.labels[n] for n in group]
        click.echo(_("runs:        {runs}").format(
            runs=joined(*(f"{lessons.run_number(n)}. {lesson.labels[n]}" for n in group))))
        if len(group) == 1:
            _deliver_run(runs[0], layout="classic", every=None, frames=frames or 60,
                         pause=pause, save=target, no_show=no_show, default_name=default,
                         title=f"gdviz lesson {lesson.name}", export=export)
            continue
        from ..comparison import compare

        def make(figure, interval, figsize, runs=runs, labels=labels):
            return compare(runs, labels, frames=frames or 60, interval=interval,
                           figsize=figsize, figure=figure, note=_("learning rates: as the "
                                                                   "lesson sets them"))

        _deliver(make, pause=pause, save=target, no_show=no_show, default_name=default,
                 title=f"gdviz lesson {lesson.name}", export=export, traces=runs)
