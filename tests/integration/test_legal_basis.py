"""Law 09-08: a legal basis and a purpose are never assumed; a record without them is saved
flagged "à compléter" and listed until an officer completes it."""

import pytest

from crm import people
from tests.formparse import form_with
from tests.integration.conftest import OUJDA

pytestmark = pytest.mark.integration


def test_an_empty_legal_basis_is_not_saved_as_legitimate_interest(officer):
    uid = people.create_person(
        officer, {"first_name": "Amina", "last_name": "Zeroual", "commune": OUJDA}
    )
    person = people.get_person(officer, uid)
    assert person["legal_basis"] == "" and person["privacy_incomplete"] is True
    assert [p["uid"] for p in people.to_complete(officer).items] == [uid]


def test_a_complete_record_leaves_the_list(officer):
    uid = people.create_person(
        officer,
        {"first_name": "Amina", "last_name": "Zeroual", "commune": OUJDA, "legal_basis": "consent"},
    )
    assert people.get_person(officer, uid)["privacy_incomplete"] is True  # purpose missing
    people.update_person(
        officer,
        uid,
        1,
        {"first_name": "Amina", "last_name": "Zeroual", "commune": OUJDA,
         "legal_basis": "consent", "purpose": "Invitations aux consultations"},
    )  # fmt: skip
    assert people.get_person(officer, uid)["privacy_incomplete"] is False
    assert people.to_complete(officer).total == 0


def test_the_page_flags_and_lists_incomplete_records(client, officer):
    uid = people.create_person(
        officer, {"first_name": "Amina", "last_name": "Zeroual", "commune": OUJDA}
    )
    detail = client.get(f"/personnes/{uid}").get_data(as_text=True)
    assert "Fiche à compléter (loi 09-08)" in detail
    listing = client.get("/personnes/a-completer").get_data(as_text=True)
    assert "Amina ZEROUAL" in listing and "1 fiche à compléter" in listing
    # The form assumes neither: an officer chooses them.
    form = form_with(client.get("/personnes/nouvelle").get_data(as_text=True), "legal_basis")
    assert form.get("legal_basis") == "" and form.get("purpose") == ""
