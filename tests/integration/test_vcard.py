"""vCard export: read back by a standard parser, Arabic names intact, scoped and audited."""

import pytest
import vobject

from crm import organisations, people
from graph.database import run

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"


@pytest.fixture
def alami(officer):
    org = organisations.create_organisation(
        officer, {"name": "Association Nour", "kind": "osc", "commune": OUJDA}
    )
    uid = people.create_person(
        officer,
        {
            "first_name": "Mohamed",
            "last_name": "Alami",
            "first_name_ar": "محمد",
            "last_name_ar": "العلمي",
            "phones": "0661234567, 0536 68 12 34",
            "emails": "m.alami@example.org",
            "commune": OUJDA,
        },
    )
    people.link_to_organisation(officer, uid, org, {"role": "Président"})
    return uid


def test_one_person_as_a_vcard_that_a_parser_reads_back(client, alami):
    response = client.get(f"/personnes/{alami}/vcard")
    assert response.status_code == 200 and response.mimetype == "text/vcard"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    card = vobject.readOne(response.get_data(as_text=True))
    assert card.version.value == "3.0"
    assert card.fn.value == "Mohamed Alami"
    assert (card.n.value.family, card.n.value.given) == ("Alami", "Mohamed")
    assert card.nickname.value == "محمد العلمي"
    assert [t.value for t in card.tel_list] == ["+212661234567", "+212536681234"]
    assert card.email.value == "m.alami@example.org"
    assert card.org.value == ["Association Nour"] and card.title.value == "Président"
    assert card.adr.value.city == "Oujda"


def test_a_list_as_one_vcf_file(client, alami, officer):
    people.create_person(officer, {"first_name": "Salma", "last_name": "Idrissi", "commune": OUJDA})
    opposed = people.create_person(
        officer, {"first_name": "Hidden", "last_name": "Person", "commune": OUJDA}
    )
    client.post(f"/personnes/{opposed}/opposition", data={"opposition": "1", "confirm": "1"})
    text = client.get("/personnes/export.vcf").get_data(as_text=True)
    cards = list(vobject.readComponents(text))
    assert sorted(c.fn.value for c in cards) == ["Mohamed Alami", "Salma Idrissi"]
    assert client.get(f"/personnes/{opposed}/vcard").status_code == 404
    exports = run("MATCH (e:AuditEvent {action: 'export'}) RETURN e.summary AS s ORDER BY e.at")
    assert [e["s"] for e in exports] == ["Export vCard (2 fiches)"]


def test_vcard_is_scoped(make_user, login, alami):
    casablanca = make_user("officer", "casa@example.org", ("06",))
    client = login(casablanca)
    assert client.get(f"/personnes/{alami}/vcard").status_code == 404
    assert client.get("/personnes/export.vcf").get_data(as_text=True) == ""
