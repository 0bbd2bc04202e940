"""Spreadsheet-safe CSV cells: formulas neutralised, phone numbers and numbers left usable."""

from __future__ import annotations

import re

__all__ = ["safe_cell"]

# What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A signed number or phone number, or several (as exports join them: "+212661234567, 0536…"):
# digits and the punctuation of numbers only, a sign only at the start of each. With no
# letter, no cell reference, function name or DDE command ("cmd|…") can be written, and with
# no operator inside ("+1+1") a spreadsheet has nothing to compute.
_NUMBER = r"[+-]?[0-9(][0-9 ()./]*"
_PLAIN_NUMBERS = re.compile(_NUMBER + r"(?:[,;] ?" + _NUMBER + ")*")


def safe_cell(value: object) -> str:
    """``value`` as CSV cell text; a formula gets a leading apostrophe, so it shows as text.

    >>> safe_cell('=HYPERLINK("http://x")'), safe_cell("+212661234567"), safe_cell("-12.5")
    ('\\'=HYPERLINK("http://x")', '+212661234567', '-12.5')
    >>> safe_cell("+1+cmd|' /C calc'!A0"), safe_cell("+1+1")
    ("'+1+cmd|' /C calc'!A0", "'+1+1")
    """
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBERS.fullmatch(text):
        return "'" + text
    return text
