"""Reading an uploaded spreadsheet safely: CSV (sniffed) or XLSX, row by row, within limits.

Everything here is pure (no database). ``inspect`` checks a whole file once — format,
encoding, delimiter, size, rows, columns, zip bombs, XML entity declarations — and returns
what ``rows`` needs to read it again; ``rows`` streams the data rows, so memory stays bounded
whatever the file (the file itself is capped at ``Limits.max_bytes`` before it is stored).
Every refusal is ``FileRefused`` with a French message for the user.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import BinaryIO

__all__ = ["FileRefused", "Limits", "Sheet", "inspect", "rows"]


@dataclass(frozen=True)
class Limits:
    """The maxima of an import (Flask config ``IMPORT_*``, documented in the README)."""

    max_bytes: int = 5 * 1024 * 1024
    max_rows: int = 50_000
    max_columns: int = 60
    max_cell: int = 2_000  # characters in one cell
    max_uncompressed: int = 80 * 1024 * 1024  # XLSX: all parts once unzipped
    max_ratio: int = 150  # XLSX: uncompressed / compressed size of a large part
    max_parts: int = 2_000  # XLSX: members of the zip archive


class FileRefused(ValueError):
    """The file cannot be imported; ``message`` says why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sheet:
    """What ``inspect`` learnt about a file: how to read it again, and its shape."""

    format: str  # "csv" or "xlsx"
    encoding: str  # CSV only: "utf-8-sig", "utf-8", "cp1256", "cp1252", "latin-1"
    delimiter: str  # CSV only
    headers: list[str]
    row_count: int  # data rows (blank rows not counted)
    sample: list[list[str]]  # the first data rows, for the mapping page


SAMPLE_ROWS = 5
_SNIFF_BYTES = 64 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_LARGE_PART = 1024 * 1024  # the ratio is checked on parts larger than this once unzipped
_ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 (avec BOM)",
    "utf-8": "UTF-8",
    "cp1256": "Windows-1256 (arabe)",
    "cp1252": "Windows-1252 (latin)",
    "latin-1": "Latin-1",
}
_DELIMITER_NAMES = {",": "virgule", ";": "point-virgule", "\t": "tabulation"}


def describe(sheet: Sheet) -> str:
    """ "CSV, UTF-8, séparateur point-virgule" or "Excel (XLSX)", for the pages."""
    if sheet.format == "xlsx":
        return "Excel (XLSX)"
    return (
        f"CSV, {_ENCODING_NAMES.get(sheet.encoding, sheet.encoding)}, "
        f"séparateur {_DELIMITER_NAMES.get(sheet.delimiter, sheet.delimiter)}"
    )


def inspect(file: BinaryIO, filename: str, limits: Limits) -> Sheet:
    """Check the whole file and return its ``Sheet``; ``FileRefused`` otherwise.

    ``file`` is seekable; it is read a few times, never whole into memory.
    """
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    if size == 0:
        raise FileRefused("Le fichier est vide.")
    if size > limits.max_bytes:
        raise FileRefused(
            f"Le fichier dépasse la taille maximale d'un import ({_megabytes(limits.max_bytes)})."
        )
    head = file.read(_SNIFF_BYTES)
    file.seek(0)
    _refuse_known_binaries(head, filename)
    if head.startswith(_ZIP_MAGIC):
        fmt, encoding, delimiter = "xlsx", "", ""
        _check_archive(file, limits)
    else:
        if filename.lower().endswith(".xlsx"):
            raise FileRefused(
                "Ce fichier porte l'extension .xlsx mais n'est pas un classeur Excel valide."
            )
        fmt = "csv"
        encoding = _encoding(file, head)
        delimiter = _delimiter(head.decode(encoding, errors="replace"))
    sheet = Sheet(fmt, encoding, delimiter, [], 0, [])
    headers: list[str] | None = None
    count = 0
    sample: list[list[str]] = []
    with closing(_numbered(file, sheet, limits)) as source:
        for _, cells in source:
            if headers is None:
                headers = _headers(cells)
                continue
            count += 1
            if count > limits.max_rows:
                raise FileRefused(
                    f"Le fichier compte plus de {limits.max_rows} lignes, le maximum d'un "
                    "import : découpez-le en plusieurs fichiers."
                )
            if len(sample) < SAMPLE_ROWS:
                sample.append(cells)
    if headers is None:
        raise FileRefused("Le fichier ne contient aucune ligne : il est vide.")
    if count == 0:
        raise FileRefused(
            "Le fichier ne contient que la ligne d'en-tête : aucune ligne à importer."
        )
    return Sheet(fmt, encoding, delimiter, headers, count, sample)


def rows(file: BinaryIO, sheet: Sheet, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """The data rows of a file ``inspect`` accepted: ``(line number, cells)``, blank rows
    skipped, line 1 being the header (as a spreadsheet numbers them)."""
    first = True
    with closing(_numbered(file, sheet, limits)) as source:
        for number, cells in source:
            if first:
                first = False
                continue
            yield number, cells


# --- checks -----------------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} Ko"
    return f"{size / (1024 * 1024):.0f} Mo".replace(".", ",")


_BINARY_SIGNATURES = {
    b"\xd0\xcf\x11\xe0": "Les classeurs Excel 97-2003 (.xls) ne sont pas pris en charge : "
    "enregistrez le fichier au format .xlsx ou CSV.",
    b"%PDF": "Ce fichier est un PDF, pas un tableau : importez un fichier CSV ou Excel (.xlsx).",
}


def _refuse_known_binaries(head: bytes, filename: str) -> None:
    for signature, message in _BINARY_SIGNATURES.items():
        if head.startswith(signature):
            raise FileRefused(message)
    if head.startswith(_ZIP_MAGIC):
        return
    # A text file has no NUL byte (UTF-16 aside, which we refuse too) and few control
    # characters: anything else is binary content, whatever its name says.
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if b"\x00" in head or controls > max(2, len(head) // 100):
        raise FileRefused(
            "Ce fichier n'est pas un tableau lisible (contenu binaire) : importez un fichier "
            "CSV (texte) ou Excel (.xlsx)."
        )


def _encoding(file: BinaryIO, head: bytes) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes so; else Windows-1256 when
    the bytes read as Arabic, Windows-1252/Latin-1 otherwise."""
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := file.read(_SNIFF_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return encoding
    except UnicodeDecodeError:
        if encoding == "utf-8-sig":
            raise FileRefused(
                "Le fichier annonce l'encodage UTF-8 mais contient des caractères invalides : "
                "enregistrez-le de nouveau en « CSV UTF-8 »."
            ) from None
    finally:
        file.seek(0)
    high = bytes(b for b in head if b >= 0x80)
    as_arabic = high.decode("cp1256", errors="replace")
    arabic = sum(1 for ch in as_arabic if "\u0600" <= ch <= "\u06ff")
    if high and arabic * 2 > len(as_arabic):
        return "cp1256"
    try:
        high.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most columns, consistently."""
    lines = text.splitlines()[:20]
    best, best_score = ",", (0, 0)
    for delimiter in (";", ",", "\t"):
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter) if any(r)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for c in counts if c == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _check_archive(file: BinaryIO, limits: Limits) -> None:
    """Refuse zip bombs and XML entity declarations before openpyxl opens anything.

    The declared sizes bound what is unzipped: Python's zipfile never inflates a member past
    its declared size (a lie fails its CRC check), so checking them is enough.
    """
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError):
        raise FileRefused("Fichier Excel illisible : l'archive est endommagée.") from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_parts:
            raise FileRefused("Fichier Excel refusé : il contient trop de parties.")
        total = sum(m.file_size for m in members)
        if total > limits.max_uncompressed:
            raise FileRefused(
                "Fichier Excel refusé : une fois décompressé, il dépasserait "
                f"{_megabytes(limits.max_uncompressed)} (archive piégée ou classeur trop grand)."
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > _LARGE_PART and ratio > limits.max_ratio:
                raise FileRefused(
                    "Fichier Excel refusé : taux de compression anormal (archive piégée)."
                )
        if "xl/workbook.xml" not in archive.namelist():
            raise FileRefused("Ce fichier .zip n'est pas un classeur Excel (.xlsx).")
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                _check_xml_prolog(archive, member)
    file.seek(0)


_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_xml_prolog(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """A DOCTYPE (and with it any ENTITY) can only come before the root element: read up to
    it, and refuse the file if one is declared (billion laughs, external entities)."""
    seen = b""
    try:
        with archive.open(member) as part:
            while chunk := part.read(16 * 1024):
                seen = seen[-16:] + chunk
                if seen.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    raise FileRefused("Fichier Excel refusé : encodage XML non pris en charge.")
                root = _ROOT_START.search(seen)
                if _DECLARATION.search(seen[: root.start()] if root else seen):
                    raise FileRefused(
                        "Fichier Excel refusé : il contient des déclarations XML (DOCTYPE, "
                        "ENTITY) non autorisées."
                    )
                if root:
                    return
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
        raise FileRefused("Fichier Excel illisible : l'archive est endommagée.") from None


# --- reading rows -----------------------------------------------------------------------------


def _headers(cells: list[str]) -> list[str]:
    return [cell or f"Colonne {index + 1}" for index, cell in enumerate(cells)]


def _numbered(file: BinaryIO, sheet: Sheet, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    file.seek(0)
    source = _xlsx_rows(file, limits) if sheet.format == "xlsx" else _csv_rows(file, sheet)
    with closing(source):
        yield from _checked(source, limits)


def _checked(
    source: Iterator[tuple[int, list[str]]], limits: Limits
) -> Iterator[tuple[int, list[str]]]:
    for number, cells in source:
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue  # a blank line
        if len(cells) > limits.max_columns:
            raise FileRefused(
                f"La ligne {number} compte plus de {limits.max_columns} colonnes, le maximum "
                "d'un import."
            )
        for cell in cells:
            if len(cell) > limits.max_cell:
                raise FileRefused(
                    f"Une cellule de la ligne {number} dépasse {limits.max_cell} caractères."
                )
        yield number, cells


def _csv_rows(file: BinaryIO, sheet: Sheet) -> Iterator[tuple[int, list[str]]]:
    text = io.TextIOWrapper(file, encoding=sheet.encoding, newline="", errors="strict")
    try:
        reader = csv.reader(text, delimiter=sheet.delimiter)
        for cells in reader:
            yield reader.line_num, [_cell_text(cell) for cell in cells]
    except csv.Error as exc:
        raise FileRefused(f"Fichier CSV illisible : {exc}.") from None
    except UnicodeDecodeError:
        raise FileRefused("Le fichier mélange plusieurs encodages de caractères.") from None
    finally:
        with suppress(ValueError):
            text.detach()  # the caller's file stays open


def _xlsx_rows(file: BinaryIO, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula stays a formula ("=…"), refused cell by cell later, rather
        # than a cached value the file may not even hold.
        book = load_workbook(file, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise FileRefused("Fichier Excel illisible : le classeur est endommagé.") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise FileRefused("Le classeur ne contient aucune feuille.")
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if len(values) > limits.max_columns and any(values[limits.max_columns :]):
                raise FileRefused(
                    f"La ligne {number} compte plus de {limits.max_columns} colonnes, le "
                    "maximum d'un import."
                )
            yield number, [_value_text(v) for v in values[: limits.max_columns + 1]]
    except FileRefused:
        raise
    except Exception:  # noqa: BLE001
        raise FileRefused("Fichier Excel illisible : le classeur est endommagé.") from None
    finally:
        book.close()


def _cell_text(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def _value_text(value: object) -> str:
    """A cell's value as the text a user typed: dates ISO, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _cell_text(str(value))
