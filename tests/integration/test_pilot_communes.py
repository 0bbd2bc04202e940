"""Pilot communes: managers mark them (with the date they joined), everyone sees them first.

Forms are read from the page and submitted as a browser would (tests.formparse).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crm import pilots
from graph.database import run
from tests.formparse import form_with, forms
from tests.integration.conftest import CASABLANCA, OUJDA

pytestmark = pytest.mark.integration

TODAY = date(2026, 3, 10)
NAIMA = "02.411.01.19"  # Oriental, prefecture Oujda-Angad, after Ahl Angad by name
AHL_ANGAD = "02.411.03.01"


@pytest.fixture
def today(app) -> date:
    app.config["CLOCK"] = lambda: datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    return TODAY


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _stored(code: str) -> dict:
    row = run(
        "MATCH (c:Commune {code: $code}) RETURN c.pilot AS pilot, c.pilot_since AS since",
        code=code,
    )[0]
    since = row["since"].to_native() if row["since"] is not None else None
    return {"pilot": bool(row["pilot"]), "since": since}


def _section(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</section>", start)]


def test_a_manager_marks_a_commune_pilot_from_its_page_with_history(login, manager, today):
    client = login(manager)
    html = _page(client, f"/territoires/commune/{OUJDA}")
    form = form_with(html, "pilot")
    assert form.action == f"/territoires/commune/{OUJDA}/pilote"
    form.set("pilot", "y")
    form.set("since", "2025-09-15")
    response = client.post(form.action, data=form.submission())
    assert response.status_code == 302
    assert _stored(OUJDA) == {"pilot": True, "since": date(2025, 9, 15)}

    html = _page(client, f"/territoires/commune/{OUJDA}")
    assert "commune pilote</span>" in html and "oui, depuis le 15/09/2025" in html
    history = html[html.index('id="history"') :]
    assert "Commune ajoutée aux communes pilotes" in history
    assert "Commune pilote</strong> : non → oui" in history
    assert "Pilote depuis</strong> : — → 15/09/2025" in history
    assert manager.display_name in history

    # The date changed, then the commune removed: both in the history, nothing when unchanged.
    form = form_with(html, "pilot")
    assert form.get("since") == "2025-09-15" and form.get("pilot") == "y"
    form.set("since", "2025-10-01")
    client.post(form.action, data=form.submission())
    client.post(form.action, data=form.submission())  # the same again: nothing to record
    form.set("pilot", [])
    client.post(form.action, data=form.submission())
    assert _stored(OUJDA) == {"pilot": False, "since": None}
    history = _page(client, f"/territoires/commune/{OUJDA}")
    history = history[history.index('id="history"') :]
    assert history.count("<tr>") == 1 + 3  # header + three changes
    assert "Date d&#39;entrée de la commune pilote modifiée" in history
    assert "Commune retirée des communes pilotes" in history
    audited = run(
        "MATCH (e:AuditEvent {target_kind: 'commune', target_uid: $code}) RETURN count(e) AS n",
        code=OUJDA,
    )[0]["n"]
    assert audited == 3


def test_the_date_is_required_and_not_after_today(login, manager, today):
    client = login(manager)
    form = form_with(_page(client, f"/territoires/commune/{OUJDA}"), "pilot")
    form.set("pilot", "y")
    form.set("since", "2026-03-11")
    html = client.post(form.action, data=form.submission()).get_data(as_text=True)
    assert "La date d&#39;entrée ne peut pas être postérieure à aujourd&#39;hui." in html
    form.set("since", "")
    html = client.post(form.action, data=form.submission()).get_data(as_text=True)
    assert "Indiquez la date d&#39;entrée." in html
    assert _stored(OUJDA) == {"pilot": False, "since": None}
    form.set("since", "2026-03-10")  # today is fine
    assert client.post(form.action, data=form.submission()).status_code == 302
    assert _stored(OUJDA)["pilot"] is True


def test_an_officer_cannot_mark_pilot_communes(login, officer, manager, today):
    client = login(officer)
    html = _page(client, f"/territoires/commune/{OUJDA}")
    assert not [f for f in forms(html) if "pilot" in f.names()]
    data = {"pilot": "y", "since": "2025-09-15"}
    assert client.post(f"/territoires/commune/{OUJDA}/pilote", data=data).status_code == 403
    listing = _page(client, "/territoires/pilotes")
    assert not [f for f in forms(listing) if "commune" in f.names()]
    data = {"commune": "Oujda (Oujda-Angad) [02.411.01.23]", "since": "2025-09-15"}
    assert client.post("/territoires/pilotes", data=data).status_code == 403
    assert _stored(OUJDA) == {"pilot": False, "since": None}
    # Administrators keep to accounts.
    admin = login_admin(login, manager)
    assert admin.post(f"/territoires/commune/{OUJDA}/pilote", data=data).status_code == 403


def login_admin(login, manager):
    from crm import users
    from tests.integration.conftest import PASSWORD

    users.create_user("admin@example.org", "Admin", PASSWORD, "admin")
    return login(
        users.load_session(users.authenticate("admin@example.org", PASSWORD).session_token)
    )


def test_the_pilot_list_adds_by_name_counts_and_removes(login, manager, today):
    client = login(manager)
    html = _page(client, "/territoires/pilotes")
    assert "0 commune pilote sur les 60 du programme" in html
    form = form_with(html, "commune")
    assert form.get("since") == "2026-03-10"  # today by default
    commune_input = html[html.index('id="commune"') - 200 : html.index('id="commune"') + 300]
    assert 'data-suggest="/territoires/communes.json"' in commune_input

    form.set("commune", "Commune imaginaire")
    html = client.post("/territoires/pilotes", data=form.submission()).get_data(as_text=True)
    assert "Commune inconnue : choisissez-la dans la liste proposée." in html

    form.set("commune", "Naima")  # a name only one commune bears
    form.set("since", "2025-01-20")
    response = client.post("/territoires/pilotes", data=form.submission())
    assert response.status_code == 302
    form.set("commune", "Oujda (Oujda-Angad) [02.411.01.23]")  # the suggested label
    client.post("/territoires/pilotes", data=form.submission())
    form.set("commune", CASABLANCA)  # a bare code
    client.post("/territoires/pilotes", data=form.submission())
    html = client.post("/territoires/pilotes", data=form.submission()).get_data(as_text=True)
    assert "Cette commune est déjà une commune pilote." in html

    html = _page(client, "/territoires/pilotes")
    assert "3 communes pilotes sur les 60 du programme" in html
    oriental = html[html.index("Oriental") : html.index("Casablanca-Settat")]
    assert oriental.index("Naima") < oriental.index(">Oujda<")
    assert "20/01/2025" in oriental

    remove = [f for f in forms(html) if f.action == f"/territoires/commune/{NAIMA}/pilote"][0]
    response = client.post(remove.action, data=remove.submission())
    assert response.headers["Location"].endswith("/territoires/pilotes")
    assert _stored(NAIMA) == {"pilot": False, "since": None}
    assert "2 communes pilotes sur les 60" in _page(client, "/territoires/pilotes")


def test_region_pages_list_pilot_communes_first_and_filter_them(login, manager, officer, today):
    pilots.set_pilot(manager, NAIMA, True, date(2025, 1, 20), today=TODAY)
    pilots.set_pilot(manager, OUJDA, True, date(2025, 2, 1), today=TODAY)
    client = login(officer)  # everyone reads the pilot communes

    index = _page(client, "/territoires/")
    oriental_row = index[index.index("/territoires/region/02") :]
    oriental_row = oriental_row[: oriental_row.index("</tr>")]
    assert 'data-label="Communes pilotes"><a href="/territoires/region/02?pilotes=1">2</a>' in (
        oriental_row
    )

    region = _page(client, "/territoires/region/02")
    province = region[region.index("Oujda-Angad") :]
    assert province.index(">Naima<") < province.index(">Oujda<") < province.index(">Ahl Angad<")
    assert province.count("pilote</span>") >= 2

    only = _page(client, "/territoires/region/02?pilotes=1")
    filter_form = [f for f in forms(only) if "pilotes" in f.names()][0]
    assert filter_form.method == "get" and filter_form.get("pilotes") == "1"
    communes = only[only.index("<h2>Communes</h2>") :]
    assert ">Naima<" in communes and ">Oujda<" in communes and ">Ahl Angad<" not in communes
    assert "Berkane" not in communes  # a province without pilot communes is left out

    province_page = _page(client, "/territoires/province/02.411?pilotes=1")
    assert ">Naima<" in province_page and ">Ahl Angad<" not in province_page
    assert "Aucune commune pilote dans cette région." in _page(
        client, "/territoires/region/06?pilotes=1"
    )


def test_the_use_case_refuses_unknown_communes(manager, today):
    from crm.errors import NotFound

    with pytest.raises(NotFound):
        pilots.set_pilot(manager, "99.999.99.99", True, date(2025, 1, 1), today=TODAY)
