"""The catalogues of gdviz's words, kept with the code by Babel (the ``translate`` extra).

    python -m gdviz.words.catalogue update    # extract the sentences, merge into each .po
    python -m gdviz.words.catalogue compile   # .po -> the .mo gettext reads (committed)
    python -m gdviz.words.catalogue check     # what CI checks: exit 1 with the problems

The same as ``pybabel extract -F babel.cfg -k _ -k ngettext:1,2``, ``pybabel update`` and
``pybabel compile``. The compiled ``.mo`` is committed beside its ``.po`` and shipped as
package data, so an install needs no build step and no Babel; ``check`` (run by the
tests) fails when the code says a sentence the catalogue lacks, when the catalogue keeps
one the code no longer says, when a translation is missing or fuzzy or its placeholders
differ from the English, and when the ``.mo`` is not the ``.po`` compiled.
"""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from .._optional import import_optional
from .i18n import DOMAIN, LANGUAGES, LOCALE_DIR, N_

PACKAGE = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
#: A placeholder of str.format: ``{name}``, ``{rate:.3g}``; ``{{`` is a brace.
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[:!][^{}]*)?\}")


def _babel():
    return import_optional("babel.messages", "translate", N_("the catalogue tools"))


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract():
    """A catalogue of every sentence the code says (Babel's extraction)."""
    _babel()
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="gdviz", domain=DOMAIN)
    for filename, line, message, comments, context in extract_from_dir(
            PACKAGE, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            directory_filter=lambda path: "locale" not in Path(path).parts):
        catalog.add(message, None, [(str(Path("gdviz") / filename), line)],
                    auto_comments=comments, context=context)
    return catalog


def read(language: str):
    from babel.messages.pofile import read_po

    with open(po_path(language), "rb") as po:
        return read_po(po, locale=language, domain=DOMAIN)


def write(catalog, path: Path) -> None:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=88, sort_output=False, omit_header=False,
             include_lineno=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def compiled(catalog) -> bytes:
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update() -> None:
    """Extract, write the template, merge it into each language's catalogue."""
    from babel.messages.catalog import Catalog

    template = extract()
    write(template, LOCALE_DIR / f"{DOMAIN}.pot")
    for language in LANGUAGES:
        if language == "en":
            continue
        path = po_path(language)
        catalog = read(language) if path.exists() else Catalog(locale=language, domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.obsolete.clear()
        write(catalog, path)


def compile_all() -> None:
    for language in LANGUAGES:
        if language != "en":
            po_path(language).with_suffix(".mo").write_bytes(compiled(read(language)))


def _messages(mo: bytes) -> dict:
    """A compiled catalogue's sentences and their plural rule. The rest of its header
    (Babel's version, dates) may differ between the Babel that compiled it and the one
    checking it, and changes nothing gettext says."""
    from babel.messages.mofile import read_mo

    catalog = read_mo(io.BytesIO(mo))
    said = {message.id if isinstance(message.id, str) else tuple(message.id):
            message.string if isinstance(message.string, str) else tuple(message.string)
            for message in catalog if message.id}
    return {"plural": catalog.plural_forms, "said": said}


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def problems(language: str, template=None) -> list[str]:
    """What is wrong with a language's catalogue, one line each (none: all is well)."""
    template = extract() if template is None else template
    catalog = read(language)
    said = {message.id if isinstance(message.id, str) else message.id[0]
            for message in template if message.id}
    kept = {message.id if isinstance(message.id, str) else message.id[0]: message
            for message in catalog if message.id}
    out = [f"{language}: the code says {text!r}, the catalogue lacks it "
           "(python -m gdviz.words.catalogue update)" for text in sorted(said - set(kept))]
    out += [f"{language}: the catalogue keeps {text!r}, the code no longer says it "
            "(python -m gdviz.words.catalogue update)" for text in sorted(set(kept) - said)]
    for text, message in kept.items():
        english = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
        translated = (list(message.string) if isinstance(message.string, (list, tuple))
                      else [message.string])
        if message.fuzzy:
            out.append(f"{language}: fuzzy: {text!r}")
        if not all(translated):
            out.append(f"{language}: not translated: {text!r}")
            continue
        # A plural's translation has the plural's placeholders (the singular's may go).
        wanted = placeholders(english[-1])
        allowed = placeholders(english[0]) | wanted
        for each in translated:
            if not wanted <= placeholders(each) <= allowed:
                out.append(f"{language}: the placeholders of {each!r} are "
                           f"{sorted(placeholders(each))}, the English has {sorted(wanted)}")
    mo = po_path(language).with_suffix(".mo")
    if not mo.exists() or _messages(mo.read_bytes()) != _messages(compiled(catalog)):
        out.append(f"{language}: {mo.name} is not {po_path(language).name} compiled "
                   "(python -m gdviz.words.catalogue compile)")
    return out


def main(argv=None) -> int:
    command = (sys.argv[1:] if argv is None else argv)[:1]
    if command == ["update"]:
        update()
    elif command == ["compile"]:
        compile_all()
    elif command == ["check"]:
        template = extract()
        found = [line for language in LANGUAGES if language != "en"
                 for line in problems(language, template)]
        print("\n".join(found) or "the catalogues are up to date with the code")
        return 1 if found else 0
    else:
        print("usage: python -m gdviz.words.catalogue update | compile | check", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
