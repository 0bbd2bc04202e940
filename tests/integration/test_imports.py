"""Spreadsheet imports (issue 12, items 1, 2 and 5), with real files made here, through the
pages (parsed and submitted as a browser would) and the use cases, on the real Neo4j."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from openpyxl import Workbook

from crm import events, imports, people
from crm.errors import Conflict
from graph.database import count_round_trips as run_counter
from graph.database import run
from tests.formparse import form_with, forms
from tests.integration.conftest import OUJDA

pytestmark = pytest.mark.integration

LIMITS = imports.Limits()


def csv_bytes(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, content: bytes, filename: str, kind: str = "people", **fields):
    """Submit the upload form the page renders, with a file; returns the response."""
    page = client.get("/imports/nouveau").get_data(as_text=True)
    form = form_with(page, "kind")
    form.set("kind", kind)
    for name, value in fields.items():
        form.set(name, value)
    data = form.submission().to_dict(flat=False)
    data["file"] = (io.BytesIO(content), filename)
    return client.post("/imports/nouveau", data=data, content_type="multipart/form-data")


def draft_of(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    location = response.headers["Location"]
    assert "/colonnes" in location, location
    return location.split("/brouillon/")[1].split("/")[0]


def submit_mapping(client, draft: str, changes: dict[str, str] | None = None, save_as: str = ""):
    page = client.get(f"/imports/brouillon/{draft}/colonnes").get_data(as_text=True)
    form = form_with(page, "save_as")
    for name, value in (changes or {}).items():
        form.set(name, value)
    form.set("save_as", save_as)
    response = client.post(f"/imports/brouillon/{draft}/colonnes", data=form.submission())
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return form


def commit_form(client, draft: str):
    page = client.get(f"/imports/brouillon/{draft}/apercu").get_data(as_text=True)
    return page, next(f for f in forms(page) if "undecided" in f.names())


def words(page: str) -> str:
    """What a page says, without its tags (entities decoded, spaces collapsed)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def committed(client, draft: str, form):
    """Submit the preview's form: the import is written, the browser sent to the report."""
    response = client.post(f"/imports/brouillon/{draft}/apercu", data=form.submission())
    assert response.status_code == 302, words(response.get_data(as_text=True))[-3000:]
    return response


def count(label: str) -> int:
    return run(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]


# --- the realistic file ------------------------------------------------------------------------


@pytest.fixture
def alami(officer) -> str:
    """Mohamed Alami of Oujda, stored in Latin script with his Arabic name."""
    return people.create_person(
        officer,
        {"first_name": "Mohamed", "last_name": "Alami", "first_name_ar": "محمد",
         "last_name_ar": "العلمي", "commune": OUJDA},
    )  # fmt: skip


SIGN_IN_SHEET = [
    ["الاسم العائلي", "الاسم الشخصي", "الهاتف", "الجماعة", "الجمعية", "الصفة", "Depuis le"],
    ["العلمي", "محمد", "", "وجدة", "جمعية النور", "رئيس", "2023-01-15"],
    ["Bennani", "Salma", "06 62 00 00 01", "Oujda", "Association Nour", "Trésorière", "15/03/2024"],
    ["Tazi", "Karim", "", "Oujda", "Association Nour", "Membre", "31/02/2024"],
    ['=HYPERLINK("http://x","Ali")', "Ali", "", "Oujda", "Association Nour", "Membre", ""],
    ["Idrissi", "Nadia", "", "Oujda", "Association Nour", "Membre", "2024-01-01", "en trop"],
    ["Amrani", "Youssef", "0661 00 00 02", "Oujda", "Association Nour", "Membre"],
]


def test_a_real_file_goes_from_upload_to_report_through_the_pages(client, officer, alami):
    response = upload(client, csv_bytes(SIGN_IN_SHEET), "émargement.csv", kind="affiliations")
    draft = draft_of(response)

    # Arabic headers are recognised; the file's format is said.
    page = client.get(f"/imports/brouillon/{draft}/colonnes").get_data(as_text=True)
    assert "UTF-8 (avec BOM)" in page and "séparateur virgule" in page
    mapping = form_with(page, "save_as")
    assert [mapping.get(f"col-{i}") for i in range(7)] == [
        "last_name", "first_name", "phone", "commune", "organisation", "role", "since",
    ]  # fmt: skip
    submit_mapping(client, draft)

    page, form = commit_form(client, draft)
    said = words(page)
    # Per-row, per-column errors: the bad date, the formula, the ragged row.
    assert "Depuis le (colonne « Depuis le ») : Date invalide" in said
    assert "Nom (colonne « الاسم العائلي ») : Formule de tableur refusée" in said
    assert "Ligne : Ligne plus longue que l'en-tête : 1 valeur(s) sans colonne" in said
    assert 'id="rejected-count">3<' in page
    # The person written in Arabic is Mohamed Alami, stored in Latin script: to review.
    assert f"link:{alami}" in form.options("d-2-person")
    assert "Même fiche que Mohamed ALAMI (محمد العلمي) — Oujda" in said
    form.set("d-2-person", f"link:{alami}")
    response = client.post(f"/imports/brouillon/{draft}/apercu", data=form.submission())
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    report = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Personnes créées" in report and "Lignes refusées (erreurs)" in report

    assert count("Person") == 3  # Alami, Bennani, Amrani
    functions = run(
        "MATCH (p:Person)-[a:AFFILIATED_WITH]->(o:Organisation) "
        "RETURN p.uid AS person, p.last_name AS last, a.role AS role, a.since AS since, "
        "o.name AS organisation ORDER BY last"
    )
    by_name = {f["last"]: f for f in functions}
    assert by_name["Alami"]["person"] == alami and by_name["Alami"]["role"] == "رئيس"
    assert by_name["Alami"]["organisation"] == "جمعية النور"
    assert str(by_name["Bennani"]["since"]) == "2024-03-15"
    # "Association Nour" named on three accepted rows is one organisation.
    assert count("Organisation") == 2
    bennani = run("MATCH (p:Person {last_name: 'Bennani'}) RETURN p.phones AS phones")[0]
    assert bennani["phones"] == ["+212662000001"]

    # The rejected rows, with their errors, as CSV from the report.
    uid = response.headers["Location"].rsplit("/", 1)[1]
    rejected = client.get(f"/imports/rapport/{uid}/lignes-refusees.csv")
    text = rejected.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Ligne" and rows[0][-1] == "Erreurs"
    assert [r[0] for r in rows[1:]] == ["4", "5", "6"]
    assert rows[2][1].startswith("'=HYPERLINK")  # neutralised in the download
    assert "Date invalide" in rows[1][-1]


def test_the_undecided_default_skips_or_creates(client, officer, alami):
    draft = draft_of(upload(client, csv_bytes(SIGN_IN_SHEET[:2]), "a.csv", "affiliations"))
    submit_mapping(client, draft)
    page, form = commit_form(client, draft)
    form.set("undecided", "create")
    response = client.post(f"/imports/brouillon/{draft}/apercu", data=form.submission())
    assert response.status_code == 302
    assert count("Person") == 2  # created apart, as asked


# --- encodings, XLSX, mappings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "utf-8"), (",", "utf-8-sig"), ("\t", "utf-8"),
                                (";", "cp1256"), (";", "latin-1")]
)  # fmt: skip
def test_csv_variants_import_the_same_people(client, delimiter, encoding):
    table = [["Nom", "Prénom", "Genre", "Commune"], ["Bénard", "Hélène", "F", "Oujda"]]
    if encoding != "latin-1":
        table.append(["التازي", "سعاد", "أنثى", "وجدة"])
    draft = draft_of(upload(client, csv_bytes(table, delimiter, encoding), "p.csv"))
    submit_mapping(client, draft)
    _, form = commit_form(client, draft)
    assert (
        client.post(f"/imports/brouillon/{draft}/apercu", data=form.submission()).status_code == 302
    )
    stored = run(
        "MATCH (p:Person)-[:LOCATED_IN]->(c:Commune) RETURN p.first_name AS first, "
        "p.last_name AS last, p.last_name_ar AS last_ar, p.gender AS gender, c.code AS commune "
        "ORDER BY first"
    )
    assert stored[0] == {"first": "Hélène", "last": "Bénard", "last_ar": "", "gender": "f",
                         "commune": OUJDA}  # fmt: skip
    if encoding != "latin-1":
        assert stored[1]["last_ar"] == "التازي" and stored[1]["gender"] == "f"


def test_an_xlsx_file_with_a_formula_cell_and_a_date(client):
    from datetime import date

    table = [
        ["Last name", "First name", "Organisation", "Role", "Start date", "Commune"],
        ["Alaoui", "Samir", "Association Amal", "Président", date(2022, 9, 1), "Oujda"],
        ["Berrada", "=A2", "Association Amal", "Membre", "", "Oujda"],
    ]
    draft = draft_of(upload(client, xlsx_bytes(table), "fonctions.xlsx", "affiliations"))
    submit_mapping(client, draft)
    page, form = commit_form(client, draft)
    assert "Prénom (colonne « First name ») : Formule de tableur refusée" in words(page)
    assert (
        client.post(f"/imports/brouillon/{draft}/apercu", data=form.submission()).status_code == 302
    )
    found = run("MATCH (p:Person)-[a:AFFILIATED_WITH]->(o) RETURN p.last_name AS last, "
                "toString(a.since) AS since, o.name AS org")  # fmt: skip
    assert found == [{"last": "Alaoui", "since": "2022-09-01", "org": "Association Amal"}]


def test_a_mapping_saved_under_a_name_is_reused_on_the_next_file(client):
    table = [["Col A", "Col B", "Col C"], ["Chraibi", "Leila", "Oujda"]]
    draft = draft_of(upload(client, csv_bytes(table), "premier.csv"))
    page = client.get(f"/imports/brouillon/{draft}/colonnes").get_data(as_text=True)
    assert form_with(page, "save_as").get("col-0") == ""  # not recognised
    columns = {"col-0": "last_name", "col-1": "first_name", "col-2": "commune"}
    submit_mapping(client, draft, columns, save_as="Listes de la province")

    second = draft_of(upload(client, csv_bytes([table[0], ["Fassi", "Omar", "Oujda"]]), "b.csv"))
    page = client.get(f"/imports/brouillon/{second}/colonnes").get_data(as_text=True)
    saved = form_with(page, "modele")
    assert "Listes de la province" in page
    reused = client.get(f"/imports/brouillon/{second}/colonnes?modele={saved.get('modele')}")
    form = form_with(reused.get_data(as_text=True), "save_as")
    assert [form.get(f"col-{i}") for i in range(3)] == ["last_name", "first_name", "commune"]
    client.post(f"/imports/brouillon/{second}/colonnes", data=form.submission())
    _, commit = commit_form(client, second)
    assert (
        client.post(f"/imports/brouillon/{second}/apercu", data=commit.submission()).status_code
        == 302
    )
    assert run("MATCH (p:Person) RETURN p.last_name AS n")[0]["n"] == "Fassi"


def test_a_mapping_without_names_or_with_a_field_twice_is_refused(client):
    draft = draft_of(upload(client, csv_bytes([["A", "B"], ["x", "y"]]), "a.csv"))
    page = client.get(f"/imports/brouillon/{draft}/colonnes").get_data(as_text=True)
    form = form_with(page, "save_as")
    form.set("col-0", "last_name")
    form.set("col-1", "last_name")
    response = client.post(f"/imports/brouillon/{draft}/colonnes", data=form.submission())
    assert "Une même donnée est choisie pour plusieurs colonnes : Nom." in words(
        response.get_data(as_text=True)
    )
    form.set("col-1", "")
    response = client.post(f"/imports/brouillon/{draft}/colonnes", data=form.submission())
    assert "Indiquez la colonne de : Prénom." in words(response.get_data(as_text=True))


def test_a_refused_file_is_said_next_to_the_field_and_nothing_is_kept(client):
    response = upload(client, csv_bytes([["Nom", "Prénom"]]), "vide.csv")
    assert response.status_code == 200
    said = words(response.get_data(as_text=True))
    assert "Le fichier ne contient que la ligne d'en-tête : aucune ligne à importer." in said
    response = upload(client, b"\x00\x01binary" * 50, "photo.csv")
    assert "contenu binaire" in words(response.get_data(as_text=True))
    assert count("ImportDraft") == 0


def test_a_file_above_the_configured_size_is_refused_with_a_french_message(app, client):
    app.config["IMPORT_MAX_BYTES"] = 1000
    response = upload(client, csv_bytes([["Nom", "Prénom"]] + [["Alami", "Sara"]] * 200), "g.csv")
    assert "Le fichier dépasse la taille maximale d'un import (1 Ko)." in words(
        response.get_data(as_text=True)
    )
    # Far above: refused while the request is read, with the same kind of message.
    response = upload(client, csv_bytes([["Nom", "Prénom"]] + [["Alami", "Sara"]] * 9000), "h.csv")
    assert response.status_code == 413
    assert "Le fichier dépasse la taille maximale d'un import." in words(
        response.get_data(as_text=True)
    )
    assert count("ImportDraft") == 0


# --- scope -------------------------------------------------------------------------------------


def test_an_officer_imports_only_into_their_territory(client, manager):
    casablanca = people.create_person(
        manager, {"first_name": "Rachid", "last_name": "Saidi", "commune": "06.141.01.0",
                  "phones": "0661111111"},
    )  # fmt: skip
    assert casablanca
    table = [
        ["Nom", "Prénom", "Commune", "Téléphone"],
        ["Naciri", "Amine", "Casablanca", ""],
        ["Saidi", "Rachid", "Oujda", "0661111111"],
        ["Ouali", "Rim", "", ""],
    ]
    draft = draft_of(upload(client, csv_bytes(table), "t.csv"))
    submit_mapping(client, draft)
    page, form = commit_form(client, draft)
    said = words(page)
    assert "Commune (colonne « Commune ») : Cette commune est hors de votre territoire." in said
    assert "Indiquez la commune (colonne Commune, ou commune par défaut)" in said
    # Rachid Saidi of Casablanca is outside the officer's scope: never offered, so created.
    assert casablanca not in page
    client.post(f"/imports/brouillon/{draft}/apercu", data=form.submission())
    assert run("MATCH (p:Person {last_name: 'Saidi'}) RETURN count(p) AS n")[0]["n"] == 2


# --- a sign-in sheet from the event's page -------------------------------------------------------


def test_a_sign_in_sheet_is_imported_into_the_event_from_its_page(client, officer, alami):
    event = events.create_event(
        officer, {"title": "Atelier budget participatif", "kind": "workshop",
                  "start_date": "2025-03-10", "commune": OUJDA},
    )  # fmt: skip
    page = client.get(f"/evenements/{event}").get_data(as_text=True)
    link = re.search(r'href="([^"]+)"[^>]*>Importer une feuille d(?:\'|&#39;)émargement<', page)
    assert link, "the event page offers the import"
    upload_page = client.get(html.unescape(link.group(1))).get_data(as_text=True)
    form = form_with(upload_page, "kind")
    assert form.get("kind") == "attendance" and form.getlist("event") == [event]
    assert "Atelier budget participatif" in upload_page  # named, not a uid to type
    sheet = [
        ["Nom", "Prénom", "Organisation", "Rôle"],
        ["Alami", "Mohamed", "Association Amal", "Intervenant"],
        ["Kettani", "Zineb", "", ""],
        ["Kettani", "Zineb", "", ""],
    ]
    data = form.submission().to_dict(flat=False)
    data["file"] = (io.BytesIO(csv_bytes(sheet, ";")), "emargement.csv")
    draft = draft_of(client.post(html.unescape(link.group(1)), data=data,
                                 content_type="multipart/form-data"))  # fmt: skip
    submit_mapping(client, draft)
    page, commit = commit_form(client, draft)
    assert "Atelier budget participatif" in page
    response = client.post(f"/imports/brouillon/{draft}/apercu", data=commit.submission())
    assert response.status_code == 302
    attended = run(
        "MATCH (p:Person)-[a:ATTENDED]->(:Event {uid: $e}) RETURN p.uid AS uid, "
        "p.last_name AS last, a.role AS role, a.for_organisation AS org ORDER BY last",
        e=event,
    )
    assert [(a["last"], a["role"]) for a in attended] == [("Alami", "speaker"),
                                                         ("Kettani", "participant")]  # fmt: skip
    assert attended[0]["uid"] == alami and attended[0]["org"]  # the same Mohamed Alami
    report = words(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Participants ajoutés à l'événement 2" in report
    assert "Participants en double dans le fichier 1" in report


def test_the_event_picker_suggests_events_of_the_scope(client, officer, manager):
    forum = {"kind": "forum", "start_date": "2025-04-01"}
    events.create_event(officer, {**forum, "title": "Forum jeunesse Oujda", "commune": OUJDA})
    events.create_event(
        manager, {**forum, "title": "Forum jeunesse Casablanca", "commune": "06.141.01.0"}
    )
    found = client.get("/imports/evenements.json?q=forum").get_json()["items"]
    assert [f["name"] for f in found] == ["Forum jeunesse Oujda"]


# --- undo --------------------------------------------------------------------------------------


def imported(client, table, kind="people") -> str:
    draft = draft_of(upload(client, csv_bytes(table), "u.csv", kind))
    submit_mapping(client, draft)
    _, form = commit_form(client, draft)
    response = client.post(f"/imports/brouillon/{draft}/apercu", data=form.submission())
    assert response.status_code == 302
    return response.headers["Location"].rsplit("/", 1)[1]


def test_an_import_is_undone_as_a_whole(client, officer, alami):
    table = [["Nom", "Prénom", "Commune", "Organisation", "Fonction"],
             ["Alami", "Mohamed", "Oujda", "Association Amal", "Membre"],
             ["Rami", "Hind", "Oujda", "Association Amal", "Présidente"]]  # fmt: skip
    uid = imported(client, table, "affiliations")
    assert count("Person") == 2 and count("Organisation") == 1
    version = run("MATCH (p:Person {uid: $u}) RETURN p.version AS v", u=alami)[0]["v"]
    assert version == 2  # a function added to an existing person, as by hand

    listing = client.get("/imports/").get_data(as_text=True)
    assert f"/imports/rapport/{uid}" in listing
    page = client.get(f"/imports/rapport/{uid}").get_data(as_text=True)
    undo = next(f for f in forms(page) if f.action.endswith("/annuler"))
    response = client.post(undo.action, data=undo.submission())
    assert response.status_code == 302
    assert count("Person") == 1 and count("Organisation") == 0  # Alami stays, without function
    assert run("MATCH ()-[a:AFFILIATED_WITH]->() RETURN count(a) AS n")[0]["n"] == 0
    assert "annulé" in client.get(f"/imports/rapport/{uid}").get_data(as_text=True)
    trail = run("MATCH (e:AuditEvent {target_uid: $u}) RETURN e.action AS a ORDER BY e.at", u=uid)
    assert [e["a"] for e in trail] == ["create", "delete"]


def test_the_undo_is_refused_after_an_edit_and_names_the_record(client, officer):
    uid = imported(client, [["Nom", "Prénom", "Commune"], ["Ziani", "Imane", "Oujda"],
                            ["Rifi", "Said", "Oujda"]])  # fmt: skip
    ziani = run("MATCH (p:Person {last_name: 'Ziani'}) RETURN p.uid AS uid")[0]["uid"]
    record = people.person_for_edit(officer, ziani)
    people.update_person(officer, ziani, record["version"], {**record, "notes": "Vue le 3 mars"})
    with pytest.raises(Conflict) as refused:
        imports.undo(officer, uid)
    assert "Imane ZIANI" in refused.value.message and "Said" not in refused.value.message
    page = client.get(f"/imports/rapport/{uid}").get_data(as_text=True)
    response = client.post(f"/imports/rapport/{uid}/annuler", follow_redirects=True)
    assert "Annulation impossible" in words(response.get_data(as_text=True))
    assert count("Person") == 2 and "annuler" in page


# --- 20,000 rows --------------------------------------------------------------------------------

CONSONANTS = "bdfgjklmnprstz"
FIRST = ("Amina Youssef Karim Salma Hamza Imane Nabil Sara Omar Leila Rachid Nadia Samir Hind "
         "Tarik Zineb Walid Houda Adil Meryem").split()  # fmt: skip


def generated_name(i: int) -> str:
    """A family name of its own for each ``i`` below 14**4: its consonants spell a number
    ``i`` maps to one to one (vowels do not tell names apart once spellings are folded);
    its vowels vary as real names' do."""
    letters = []
    n = i * 7919 % len(CONSONANTS) ** 4  # spreads neighbours apart
    for k in range(4):
        n, digit = divmod(n, len(CONSONANTS))
        letters.append(CONSONANTS[digit] + "aeiou"[(i * 31 + k * 17 + i // 5) % 5])
    return "".join(letters).capitalize()


def test_a_20000_row_file_is_imported_in_one_commit(manager):
    table = [["Nom", "Prénom", "Genre"]] + [
        [generated_name(i), FIRST[i % len(FIRST)], "FH"[i % 2]] for i in range(20_000)
    ]
    content = csv_bytes(table, ";")
    draft = imports.upload(manager, {"kind": "people"}, io.BytesIO(content), "grand.csv", LIMITS)
    with run_counter() as statements:
        uid = imports.commit(manager, draft, {}, "skip", LIMITS)
    assert count("Person") == 20_000
    assert statements.count < 60  # batches of UNWIND, not a statement per row
    report = imports.import_report(manager, uid)
    assert report["counts"]["person_created"] == 20_000
    # Its speed is measured by benchmarks/import_throughput.py, not asserted here.


def test_the_progress_of_a_commit_is_read_as_json(client, officer, login, manager):
    draft = draft_of(upload(client, csv_bytes([["Nom", "Prénom", "Commune"],
                                               ["Hajji", "Rim", "Oujda"]]), "p.csv"))  # fmt: skip
    submit_mapping(client, draft)
    assert client.get(f"/imports/brouillon/{draft}/progression.json").get_json() == {
        "done": 0, "total": 0, "status": "mapped"}  # fmt: skip
    page, form = commit_form(client, draft)
    assert f'data-progress="/imports/brouillon/{draft}/progression.json"' in page
    committed(client, draft, form)
    state = client.get(f"/imports/brouillon/{draft}/progression.json").get_json()
    assert state["status"] == "done"
    # Only its author learns that the draft was committed; an unknown draft is not found.
    other = login(manager)
    assert other.get(f"/imports/brouillon/{draft}/progression.json").status_code == 404
    assert client.get("/imports/brouillon/0123abcd/progression.json").status_code == 404
