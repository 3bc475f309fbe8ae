"""nnterm-ls: neural-network terminology in Chinese and English for editors and CI.

The analysis pipeline, one package per stage:

    termbase/  term files -> concepts and forms
    extract/   Markdown and LaTeX -> prose (everything else masked, offsets kept)
    match/     prose -> term occurrences (leftmost-longest, CJK-aware)
    rules/     occurrences -> findings with fixes
    analysis   the driver that runs the stages over a set of documents

The CLI (``cli``) and the language server (``lsp``) are thin layers over ``analysis``.
"""

__version__ = "0.1.0"
