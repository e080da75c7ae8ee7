"""Everything gdviz says about a run: each step's caption, the arithmetic board, events,
the ending words and the alt text. Pure Python and numpy (no matplotlib): views, the app,
the players, subtitle writers and the command line only show these words. Every sentence
passes through :func:`gdviz.words.i18n._`."""
from .board import StepBoard
from .captions import Captions, Narrator, captions
from .describe import describe
from .ending import ending_in_brief, ending_words, flat_since, summary_lines
from .facts import StepFacts
from .i18n import set_language

__all__ = ["captions", "describe", "Captions", "Narrator", "StepBoard", "StepFacts",
           "ending_words", "ending_in_brief", "flat_since", "summary_lines", "set_language"]
