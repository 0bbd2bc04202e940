"""Reading uploaded spreadsheets (crm.imports.reading): formats, encodings and delimiters
detected, and every limit refused with a clear French message — on real files made here."""

from __future__ import annotations

import csv
import io
import os
import zipfile

import pytest
from openpyxl import Workbook

from crm.imports.reading import FileRefused, Limits, describe, inspect, rows

LIMITS = Limits()
PEOPLE = [
    ["Nom", "Prénom", "Téléphone", "Commune"],
    ["Bénard", "Hélène", "0661234567", "Oujda"],
    ["العلمي", "محمد", "0662000000", "وجدة"],
]


def csv_file(table: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> io.BytesIO:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return io.BytesIO(out.getvalue().encode(encoding))


def xlsx_file(table: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    for row in table:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def refusal(file: io.BytesIO, name: str = "f.csv", limits: Limits = LIMITS) -> str:
    with pytest.raises(FileRefused) as refused:
        inspect(file, name, limits)
    return refused.value.message


def read_all(file, name="f.csv", limits=LIMITS):
    sheet = inspect(file, name, limits)
    return sheet, [cells for _, cells in rows(file, sheet, limits)]


@pytest.mark.parametrize(
    ("delimiter", "encoding", "said"),
    [
        (",", "utf-8-sig", "CSV, UTF-8 (avec BOM), séparateur virgule"),
        (";", "utf-8", "CSV, UTF-8, séparateur point-virgule"),
        ("\t", "utf-8", "CSV, UTF-8, séparateur tabulation"),
        (";", "cp1256", "CSV, Windows-1256 (arabe), séparateur point-virgule"),
    ],
)
def test_csv_variants_are_sniffed_and_read_back_exactly(delimiter, encoding, said):
    sheet, data = read_all(csv_file(PEOPLE, delimiter, encoding))
    assert describe(sheet) == said
    assert sheet.headers == PEOPLE[0]
    assert data == PEOPLE[1:]
    assert sheet.row_count == 2


def test_a_latin_1_file_without_arabic_is_read_as_latin():
    table = [row for row in PEOPLE if "محمد" not in row]
    sheet, data = read_all(csv_file(table, ";", "latin-1"))
    assert sheet.encoding in ("cp1252", "latin-1")
    assert data == [["Bénard", "Hélène", "0661234567", "Oujda"]]


def test_xlsx_is_read_with_dates_numbers_and_formulas_kept_as_typed():
    from datetime import date

    table = [["Nom", "Prénom", "Depuis", "GSM"], ["Alami", "=B3", date(2024, 3, 15), 661234567]]
    sheet, data = read_all(xlsx_file(table), "f.xlsx")
    assert describe(sheet) == "Excel (XLSX)"
    assert data == [["Alami", "=B3", "2024-03-15", "661234567"]]


def test_ragged_and_blank_rows():
    table = [["Nom", "Prénom"], ["A", "B", "C"], [], ["", ""], ["D"]]
    sheet, data = read_all(csv_file(table))
    assert data == [["A", "B", "C"], ["D"]] and sheet.row_count == 2


def test_empty_and_header_only_files_are_refused():
    assert refusal(io.BytesIO(b"")) == "Le fichier est vide."
    assert "que la ligne d'en-tête" in refusal(csv_file([["Nom", "Prénom"]]))
    assert "que la ligne d'en-tête" in refusal(xlsx_file([["Nom", "Prénom"]]), "f.xlsx")
    assert "aucune ligne" in refusal(io.BytesIO(b"\r\n\r\n;;\r\n"))


def test_binary_junk_renamed_csv_is_refused():
    junk = io.BytesIO(os.urandom(4096) + b"\x00" * 10)
    assert "contenu binaire" in refusal(junk, "contacts.csv")
    assert "Excel 97-2003" in refusal(io.BytesIO(b"\xd0\xcf\x11\xe0" + b"\x00" * 100), "a.csv")
    assert "PDF" in refusal(io.BytesIO(b"%PDF-1.4 ..."), "a.csv")
    assert "n'est pas un classeur Excel valide" in refusal(csv_file(PEOPLE), "a.xlsx")


def test_size_rows_columns_and_cells_above_the_limits_are_refused():
    assert "taille maximale" in refusal(csv_file(PEOPLE), limits=Limits(max_bytes=50))
    many = [["Nom", "Prénom"]] + [["A", "B"]] * 11
    assert "plus de 10 lignes" in refusal(csv_file(many), limits=Limits(max_rows=10))
    wide = [[f"c{i}" for i in range(8)], ["x"] * 8]
    assert "plus de 5 colonnes" in refusal(csv_file(wide), limits=Limits(max_columns=5))
    assert "plus de 5 colonnes" in refusal(xlsx_file(wide), "w.xlsx", Limits(max_columns=5))
    long_cell = [["Nom"], ["x" * 50]]
    assert "dépasse 20 caractères" in refusal(csv_file(long_cell), limits=Limits(max_cell=20))


def zip_bomb(size: int) -> io.BytesIO:
    """A valid workbook plus one part that inflates to ``size`` bytes of zeros."""
    source = zipfile.ZipFile(xlsx_file(PEOPLE))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            bomb.writestr(item, source.read(item.filename))
        with bomb.open("xl/media/padding.bin", "w", force_zip64=True) as part:
            block = b"\0" * (1024 * 1024)
            for _ in range(size // len(block)):
                part.write(block)
    out.seek(0)
    return out


def test_zip_bombs_are_refused_before_anything_is_inflated():
    assert "taux de compression anormal" in refusal(zip_bomb(8 * 1024 * 1024), "b.xlsx")
    small = Limits(max_uncompressed=4 * 1024 * 1024, max_ratio=10**6)
    assert "une fois décompressé" in refusal(zip_bomb(8 * 1024 * 1024), "b.xlsx", small)


def with_sheet_xml(prolog: bytes) -> io.BytesIO:
    source = zipfile.ZipFile(xlsx_file(PEOPLE))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = prolog + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
            book.writestr(item, data)
    out.seek(0)
    return out


def test_xml_entity_declarations_are_refused():
    laughs = (
        b'<?xml version="1.0"?>\n<!-- padding -->\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    )
    assert "DOCTYPE, ENTITY" in refusal(with_sheet_xml(laughs), "l.xlsx")
    external = b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd">'
    assert "DOCTYPE, ENTITY" in refusal(with_sheet_xml(external), "l.xlsx")
    # An ordinary prolog passes.
    sheet, data = read_all(with_sheet_xml(b'<?xml version="1.0" encoding="UTF-8"?>'), "ok.xlsx")
    assert data == PEOPLE[1:]


def test_a_damaged_archive_is_refused():
    broken = io.BytesIO(xlsx_file(PEOPLE).getvalue()[:300])
    assert "endommagé" in refusal(broken, "x.xlsx")
