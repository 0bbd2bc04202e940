"""The busiest pages read what they show in few round trips to the database.

Before the pages read through page-level use cases, the person page took 8 statements and the
"new interaction" form 3 (session included); these counts must not creep back up.
"""

import pytest

from crm import organisations, people
from graph.database import count_round_trips
from tests.integration.conftest import OUJDA

pytestmark = pytest.mark.integration


@pytest.fixture
def amina(officer):
    org = organisations.create_organisation(
        officer, {"name": "Association Al Amal", "kind": "osc", "commune": OUJDA}
    )
    uid = people.create_person(
        officer, {"first_name": "Amina", "last_name": "Zeroual", "commune": OUJDA}
    )
    people.link_to_organisation(officer, uid, org, {"role": "Présidente"})
    return {"person": uid, "organisation": org}


def _statements(client, url: str) -> int:
    with count_round_trips() as trips:
        response = client.get(url)
    assert response.status_code == 200, url
    return trips.count


def test_the_person_page_takes_six_statements(client, amina):
    # The session, the record, the trace of the consultation, the history, the timeline,
    # the events attended.
    assert _statements(client, f"/personnes/{amina['person']}") == 6


def test_the_organisation_page_takes_five_statements(client, amina):
    # The organisation (with its partnerships), history, timeline, the session, its events.
    assert _statements(client, f"/organisations/{amina['organisation']}") == 5


def test_the_interaction_form_takes_two_statements(client, amina):
    # The session, and the record the form is opened from with the accounts to assign.
    assert _statements(client, f"/interactions/nouvelle?personne={amina['person']}") == 2
    assert _statements(client, "/interactions/nouvelle") == 2
