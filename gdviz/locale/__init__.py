"""The catalogues of gdviz's words in other languages (``gdviz.words.catalogue``)."""
