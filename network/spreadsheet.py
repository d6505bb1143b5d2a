"""Cells that a spreadsheet shows as text, never runs as a formula (CSV injection).

Excel, LibreOffice and Google Sheets take a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return for a formula (OWASP, "CSV
Injection"). Every CSV the site writes passes each text cell through
``spreadsheet_safe``, which prefixes such a cell with an apostrophe; the
importer reads our own files back through ``spreadsheet_unsafe``, which
removes it, so that an export re-imported gives the very same text.

The guard is reversible: a text that already starts with apostrophes
followed by one of those characters (``'=x``) gets one more apostrophe
(``''=x``), and exactly one is removed on the way back. Any other text,
including one that merely starts with an apostrophe (``'t Kabinet``), is
left as it is. Numbers (``int``, ``float``) are not text and are never
prefixed: a negative number stays a number.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def _needs_guard(text):
    return text.lstrip(GUARD).startswith(FORMULA_STARTS)


def spreadsheet_safe(value):
    """``value`` as a spreadsheet cell that cannot be read as a formula (``None`` -> ``""``)."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    return f"{GUARD}{text}" if _needs_guard(text) else text


def spreadsheet_unsafe(text):
    """The text that ``spreadsheet_safe`` guarded: its exact inverse on text cells."""
    if text.startswith(GUARD) and _needs_guard(text):
        return text[len(GUARD) :]
    return text
