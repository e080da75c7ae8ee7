"""Chinese in pictures with no CJK font on the machine: gdviz ships a subset of Noto Sans
SC (SIL Open Font License 1.1, ``gdviz/locale/fonts/``) holding every character its
catalogues use, converted to TrueType outlines so that PDFs embed it as Type 42, and
registers it as matplotlib's fallback after DejaVu Sans: Latin letters and digits stay
DejaVu's, each Chinese character comes from the subset.

A character no font has (a user's Chinese column name beyond the subset, with no CJK font
installed) is said once, in one line, with the way to get a font, instead of drawing a
box. ``python -m gdviz.words.fonts SOURCE.ttc`` remakes the subset from Noto Sans CJK
(Debian's ``fonts-noto-cjk``) after the catalogue changes.
"""
from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path

from .i18n import LOCALE_DIR

FONT = LOCALE_DIR / "fonts" / "NotoSansSC-gdviz.ttf"
#: The page's own cut of it: the catalogues' characters only, light for a class of
#: browsers to fetch (a student's own words fall back to the browser's CJK font).
WEB_FONT = LOCALE_DIR / "fonts" / "NotoSansSC-gdviz-web.ttf"
FAMILY = "Noto Sans SC gdviz"
#: Characters every Chinese text needs besides the catalogue's own.
BASE = ("，。：；？！、…—–·“”‘’（）《》【】〈〉「」『』～％＋－×÷＝＜＞"
        "０１２３４５６７８９零一二三四五六七八九十百千万亿")

#: The family of aligned text (boards, the status strip): monospace, then the subset.
MONOSPACE = ["monospace", FAMILY] if FONT.exists() else ["monospace"]
#: The family of text placed with a family of its own: sans-serif, then the subset.
SANS = ["sans-serif", FAMILY] if FONT.exists() else ["sans-serif"]

#: CJK families a machine may have, most wanted first (Linux, macOS, Windows).
SYSTEM_CJK = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
              "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Sans SC")

_registered = False
_said = False


def cjk(character: str) -> bool:
    """Whether ``character`` is in the CJK blocks or after them (ideographs, CJK and
    fullwidth punctuation): a character the shipped font is asked for. Its width on a
    line is ``words.widths.wide``'s (Unicode's East Asian width), not this."""
    return ord(character) >= 0x2E80


#: The ranges the subset's characters lie in (CJK, fullwidth forms and punctuation).
CJK_RANGES = "U+2E80-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF"


def web_css(folder: str) -> str:
    """CSS that shows Chinese in a browser with no CJK font, under its own family and
    under the families the page's own styles name (Bokeh's and Panel's Helvetica and
    Arial, the browser's Times New Roman) for CJK characters only, so that every other
    character keeps the page's font. Two faces from ``folder``: the catalogues' cut
    (``WEB_FONT``, a few hundred kB) for the characters it holds, and the whole shipped
    font (``FONT``: GB 2312) for any other, such as a CSV's column names. A browser
    fetches a face only for a page that has a character of its range."""
    cut, whole = f"{folder}/{WEB_FONT.name}", f"{folder}/{FONT.name}"
    held = cut_ranges()
    faces = []
    for family in (FAMILY, "Helvetica", "Arial", "Times New Roman", "Roboto"):
        # The face defined last is tried first: the cut, where it holds the character.
        faces.append(f'@font-face {{ font-family: "{family}"; src: url("{whole}") '
                     f'format("truetype"); unicode-range: {CJK_RANGES}; }}')
        faces.append(f'@font-face {{ font-family: "{family}"; src: url("{cut}") '
                     f'format("truetype"); unicode-range: {held}; }}')
    return "\n".join(faces)


_CUT_RANGES: str | None = None


def cut_ranges() -> str:
    """The CJK characters the page's cut holds, as a CSS unicode-range."""
    global _CUT_RANGES
    if _CUT_RANGES is None:
        from fontTools.ttLib import TTFont

        codes = sorted(code for code in TTFont(str(WEB_FONT)).getBestCmap() if code >= 0x2E80)
        spans: list[list[int]] = []
        for code in codes:
            if spans and code == spans[-1][1] + 1:
                spans[-1][1] = code
            else:
                spans.append([code, code])
        _CUT_RANGES = ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in spans)
    return _CUT_RANGES


def web_subset(text: str) -> str:
    """The shipped subset cut to the CJK characters of ``text``, as base64 (a page embeds
    it); ``""`` when ``text`` has none, or none the subset holds."""
    import base64
    import io

    wanted = sorted({c for c in text if cjk(c)})
    if not wanted or not FONT.exists():
        return ""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT))
    held = [c for c in wanted if ord(c) in font.getBestCmap()]
    if not held:
        return ""
    subsetter = subset.Subsetter(subset.Options())
    subsetter.populate(text="".join(held))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def catalogue_characters() -> set[str]:
    """Every character outside ASCII that a catalogue's translations (and the lessons'
    texts in a language other than English) use."""
    from .i18n import LANGUAGES

    characters = set(BASE) | set("".join(LANGUAGES.values())) | set("语言")
    for po in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        characters |= set(po.read_text(encoding="utf-8"))
    lessons = LOCALE_DIR.parent / "lessons"
    for text in lessons.glob("*/*.toml"):  # the lessons' words in each language
        characters |= set(text.read_text(encoding="utf-8"))
    return {c for c in characters if cjk(c)}  # CJK and fullwidth, not Latin


def gb2312_characters() -> set[str]:
    """The 6,763 Chinese characters of GB 2312 and its CJK punctuation and fullwidth
    forms: what a Chinese reader's own words (a CSV's column names, a formula's labels)
    are written in, nearly always."""
    characters = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                characters.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return {c for c in characters if cjk(c)}


def use() -> None:
    """Register the shipped subset as matplotlib's fallback after DejaVu Sans (once)."""
    global _registered
    if _registered or not FONT.exists():
        return
    import matplotlib
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(FONT))
    # The subset has one weight: bold Chinese is drawn regular, without matplotlib saying
    # "Failed to find font weight bold" to the user each time.
    logging.getLogger("matplotlib.font_manager").addFilter(
        lambda record: not (record.getMessage().startswith("findfont: Failed to find font "
                                                           "weight") and FAMILY in
                            record.getMessage()))
    # Matplotlib falls back along font.family (3.6+): the user's family first, then a CJK
    # font installed here (drawn as its maker made it, every character), then ours.
    families = list(matplotlib.rcParams["font.family"])
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    system = [name for name in SYSTEM_CJK if name in installed][:1]
    for family in system + [FAMILY]:
        if family not in families:
            families.append(family)
    matplotlib.rcParams["font.family"] = families
    _registered = True


@functools.lru_cache(maxsize=1)
def _drawn_codes() -> frozenset:
    """The CJK code points some font here draws: the shipped subset's and the system's."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    codes = set()
    for path in [str(FONT)] + font_manager.findSystemFonts():
        try:
            codes.update(code for code in FT2Font(path).get_charmap() if cjk(chr(code)))
        except (OSError, RuntimeError, ValueError):
            continue
    return frozenset(codes)


def check_text(text: str) -> str:
    """``text`` without the CJK characters no font here draws (the user's own words, a
    column's name: the catalogue's are in the shipped font). Where there are such, say so
    once, in one line, with how to install a font, rather than draw them as boxes."""
    global _said
    if not any(cjk(c) for c in text):
        return text
    drawn = _drawn_codes()
    missing = {c for c in text if cjk(c) and ord(c) not in drawn}
    if not missing:
        return text
    if not _said:
        _said = True
        from .i18n import _

        print(_("gdviz: no font here draws {characters}: they are left out of the pictures; "
                "install a CJK font (e.g. apt install fonts-noto-cjk) to see them").format(
            characters="".join(sorted(missing))), file=sys.stderr)
    return "".join(c for c in text if c not in missing).strip()


def drawable(text: str | None, default: str) -> str:
    """A name for a picture: ``text`` as ``check_text`` leaves it, else ``default``."""
    return (check_text(text) if text else "") or default


def make(source: Path, index: int | None = None) -> Path:
    """Subset Noto Sans CJK's SC face (``source``: a .ttc or .otf) to the catalogue's
    characters, with TrueType outlines, into ``FONT`` (only when it lacks one of them),
    and the catalogues' own characters into ``WEB_FONT``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    needed = catalogue_characters() | gb2312_characters()
    if not FONT.exists() or not needed <= {chr(c) for c in TTFont(str(FONT)).getBestCmap()}:
        _make_full(source, index, needed)
    # The page's cut: only what the catalogues say (a new word changes this file alone).
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    web = TTFont(str(FONT))
    cut = subset.Subsetter(options)
    cut.populate(text="".join(sorted(catalogue_characters())))
    cut.subset(web)
    web.save(str(WEB_FONT))
    return FONT


def _make_full(source: Path, index: int | None, needed: set) -> None:
    """The shipped font: ``needed``'s glyphs from ``source``, TrueType outlines."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTCollection, TTFont, newTable

    if index is None and str(source).endswith(".ttc"):
        names = [font["name"].getDebugName(1) for font in TTCollection(str(source)).fonts]
        index = next(k for k, name in enumerate(names) if name.endswith(" SC"))
    font = TTFont(str(source), fontNumber=index or 0)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(needed)))
    subsetter.subset(font)
    # CFF outlines to TrueType (quadratic) outlines: PDFs embed them as Type 42.
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                  "maxComponentElements"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
    for record in font["name"].names:  # a family of its own, as the OFL asks of a subset
        if record.nameID in (1, 4, 16):
            record.string = FAMILY
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "")
    FONT.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(FONT))


if __name__ == "__main__":
    made = make(Path(sys.argv[1]))
    print(f"{made}: {made.stat().st_size / 1e3:.0f} kB, "
          f"{len(catalogue_characters() | gb2312_characters())} characters")
    print(f"{WEB_FONT}: {WEB_FONT.stat().st_size / 1e3:.0f} kB, "
          f"{len(catalogue_characters())} characters")
