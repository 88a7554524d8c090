"""Export and import: Markdown, a folder vault, lossless JSON, jrnl and Day One (no Qt here).

The CLI and the app call :mod:`questionbook.exchange.api`; each format lives in its own module.
"""
