"""Pages and exports speak French: no uid, code or field name in what a user reads."""

import re
from html.parser import HTMLParser

import pytest

from crm import followups, interactions, organisations, people

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"
# A uid or a fragment of one: hexadecimal, 8 characters or more, with a digit.
_HEX = re.compile(r"(?<![0-9A-Za-z])(?=[0-9a-f]*[0-9])[0-9a-f]{8,}(?![0-9A-Za-z])")
_CODES = ("age_band", "first_name", "legitimate_interest", "meeting", "['", "ary", "osc_network")


class _Text(HTMLParser):
    """The text a reader sees: tags, attributes, scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def assert_no_codes(text: str) -> None:
    assert not _HEX.findall(text), _HEX.findall(text)
    for code in _CODES:
        assert code not in text, code
    assert not re.search(r"(?<![\w'])m(?![\w'])", text.replace("m²", "")), "gender code 'm'"


@pytest.fixture
def records(officer):
    org = organisations.create_organisation(
        officer,
        {"name": "Association Nour", "kind": "osc_network", "commune": OUJDA, "themes": ["genre"]},
    )
    organisations.update_organisation(
        officer,
        org,
        1,
        {"name": "Association Nour", "kind": "cooperative", "commune": OUJDA,
         "themes": ["genre", "jeunesse"]},
    )  # fmt: skip
    person_data = {
        "first_name": "Fatima",
        "last_name": "Alaoui",
        "gender": "f",
        "age_band": "25-34",
        "languages": ["ar", "ary"],
        "themes": ["jeunesse"],
        "legal_basis": "legitimate_interest",
        "purpose": "Suivi du programme",
        "retain_until": "2030-01-31",
        "commune": OUJDA,
    }
    person = people.create_person(officer, person_data)
    people.update_person(
        officer,
        person,
        1,
        {**person_data, "first_name": "Fatima Zahra", "gender": "m", "age_band": "35-44",
         "languages": ["fr"], "legal_basis": "consent", "retain_until": "2031-06-30"},
    )  # fmt: skip
    people.link_to_organisation(officer, person, org, {"role": "Présidente"})
    meeting = {
        "kind": "meeting",
        "date": "2026-01-12",
        "summary": "Préparation du forum",
        "people": [person],
        "organisations": [org],
        "follow_ups": [{"what": "Envoyer le compte rendu", "due": "2026-01-20"}],
    }
    interaction = interactions.log_interaction(officer, meeting, today=_day("2026-01-13"))
    interactions.update_interaction(
        officer, interaction, 1, {**meeting, "kind": "call"}, today=_day("2026-01-13")
    )
    page = interactions.interaction_page(officer, interaction, today=_day("2026-01-13"))
    followups.mark_done(officer, page["interaction"]["follow_ups"][0]["uid"])
    return {"person": person, "organisation": org, "interaction": interaction}


def _day(text):
    from datetime import date

    return date.fromisoformat(text)


def test_record_pages_and_histories_show_labels_and_names(client, officer, records):
    person = visible(client.get(f"/personnes/{records['person']}").get_data(as_text=True))
    assert_no_codes(person)
    assert "Fatima Zahra ALAOUI" in person
    assert "Homme" in person and "35 à 44 ans" in person and "Français" in person
    history = person.split("Historique")[1]
    assert "Prénom : Fatima → Fatima Zahra" in history
    assert "Genre : Femme → Homme" in history
    assert "Tranche d'âge : 25 à 34 ans → 35 à 44 ans" in history
    assert "Langues : Arabe, Darija → Français" in history
    assert "Base légale : Intérêt légitime du programme → Consentement" in history
    assert "Conservation jusqu'au : 31/01/2030 → 30/06/2031" in history
    assert officer.display_name in history and officer.email not in history

    organisation = visible(
        client.get(f"/organisations/{records['organisation']}").get_data(as_text=True)
    )
    assert_no_codes(organisation)
    assert "Type : Réseau d'associations → Coopérative" in organisation
    assert "Thématiques : Égalité et genre → Égalité et genre, Jeunesse" in organisation
    assert "Fatima Zahra ALAOUI" in organisation  # members and timeline alike

    interaction = visible(
        client.get(f"/interactions/{records['interaction']}").get_data(as_text=True)
    )
    assert_no_codes(interaction)
    assert "Type : Réunion → Appel" in interaction
    assert "Fait : non → oui" in interaction
    assert "Fatima Zahra ALAOUI" in interaction


def test_lists_write_names_one_way(client, records):
    urls = ("/personnes/", "/", "/suivis", f"/territoires/commune/{OUJDA}")
    urls += ("/territoires/region/02",)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible(response.get_data(as_text=True))
        assert_no_codes(text)
    listed = visible(client.get("/personnes/").get_data(as_text=True))
    assert "Fatima Zahra ALAOUI" in listed


def test_journal_and_subject_access_name_users(login, make_user, officer, records):
    admin = make_user("admin", "admin@example.org")
    client = login(admin)
    journal = client.get("/admin/journal").get_data(as_text=True)
    rows = visible(journal.split("<tbody>")[1])
    assert_no_codes(rows)
    assert officer.display_name in rows and officer.email not in rows
    assert "Fatima Zahra ALAOUI" in rows and "Association Nour" in rows
    assert f'title="{officer.email}"' in journal  # the administrator still finds the account

    access = visible(client.get(f"/personnes/{records['person']}/donnees").get_data(as_text=True))
    assert_no_codes(access)
    for label in ("Prénom", "Tranche d'âge", "35 à 44 ans", "Langues", "Base légale",
                  "Consentement de la personne", "30/06/2031", "Appel"):  # fmt: skip
        assert label in access, label
    assert officer.display_name in access.split("Traitements")[1]
    # The JSON export keeps the codes: it is the data as held.
    held = client.get(f"/personnes/{records['person']}/donnees.json").get_json()
    assert held["person"]["age_band"] == "35-44"


def test_people_export_shows_gender_in_words(client, records):
    csv_text = client.get("/personnes/export.csv").get_data(as_text=True)
    row = next(line for line in csv_text.splitlines() if "Alaoui" in line)
    assert "Homme" in row.split(",")
    assert ",m," not in row and ",f," not in row
