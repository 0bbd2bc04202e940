"""An administrator gives accounts a territory chosen by name, never by typing HCP codes.

The forms are submitted the way a browser without JavaScript would send what the page shows:
regions and provinces picked by their label in the grouped list, communes found with the
search button and ticked.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from graph.database import run
from tests.formparse import form_with

pytestmark = pytest.mark.integration

NEW_PASSWORD = "mot de passe provisoire solide"


@pytest.fixture
def admin(make_user):
    return make_user("admin", "admin@example.org")


class _Labels(HTMLParser):
    """The value of each option and checkbox of a page, by the text a person reads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self._pending: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "option" or (tag == "input" and attributes.get("type") == "checkbox"):
            self._flush()
            self._pending = attributes.get("value")
            self._text = ""

    def handle_data(self, data):
        if self._pending is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag in ("option", "label"):
            self._flush()

    def _flush(self):
        if self._pending is not None:
            self.values.setdefault(" ".join(self._text.split()), []).append(self._pending)
        self._pending = None


def value_of(html: str, label: str) -> str:
    """The value of the (single) option or checkbox labelled ``label`` on the page."""
    parser = _Labels()
    parser.feed(html)
    parser.close()
    found = parser.values.get(label, [])
    assert len(found) == 1, f"{label!r}: {found} among {sorted(parser.values)[:20]}…"
    return found[0]


def new_account_form(client):
    html = client.get("/admin/utilisateurs").get_data(as_text=True)
    form = form_with(html, "email")
    form.set("email", "Leila@Example.org")
    form.set("display_name", "Leïla Amrani")
    form.set("password", NEW_PASSWORD)
    return html, form


def search_communes(client, url, form, field, text):
    """Press the picker's search button (no JavaScript): the page comes back, nothing saved."""
    form.set(field, text)
    data = form.submission()
    data.add(field.replace("territory_q", "territory_search"), "Chercher")
    page = client.post(url, data=data)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def uid_of(email: str) -> str:
    return run("MATCH (u:User {email: $e}) RETURN u.uid AS uid", e=email)[0]["uid"]


def test_officer_created_with_a_region_and_a_commune_picked_by_name_then_changed(login, admin):
    client = login(admin)
    html, form = new_account_form(client)
    form.set("role", "officer")
    form.set("territory", value_of(html, "Oriental (région)"))
    html = search_communes(client, "/admin/utilisateurs", form, "territory_q", "casablanca")
    assert not run("MATCH (u:User {email: 'leila@example.org'}) RETURN u")  # nothing saved

    form = form_with(html, "email")
    assert form.get("email") == "Leila@Example.org" and form.get("role") == "officer"
    casablanca = value_of(html, "Casablanca (commune, Casablanca)")
    form.set("territory", [*form.getlist("territory"), casablanca])
    form.set("password", NEW_PASSWORD)  # a password is never sent back into a page
    response = client.post("/admin/utilisateurs", data=form.submission())
    assert response.status_code == 302

    uid = uid_of("leila@example.org")
    listing = client.get("/admin/utilisateurs").get_data(as_text=True)
    assert "Oriental (région), Casablanca (commune, Casablanca)" in listing
    url = f"/admin/utilisateurs/{uid}"
    page = client.get(url).get_data(as_text=True)
    assert "Oriental (région)" in page and "Casablanca (commune, Casablanca)" in page
    assert "06.141.01.0" not in page.split('<h2 id="territoire">')[1].split("<form")[0]

    # Change it: the prefecture of Oujda instead of the whole region, the commune kept.
    form = form_with(page, "territory-territory")
    assert sorted(form.getlist("territory-territory")) == sorted(["02", casablanca])
    form.set("territory-territory", [value_of(page, "Oujda-Angad (préfecture)"), casablanca])
    assert client.post(url, data=form.submission()).status_code == 302
    page = client.get(url).get_data(as_text=True)
    chosen = page.split('<h2 id="territoire">')[1].split("<form")[0]
    assert "Oujda-Angad (préfecture)" in chosen and "Oriental (région)" not in chosen

    covered = run("MATCH (:User {uid: $u})-[:COVERS]->(t) RETURN collect(t.code) AS codes", u=uid)[
        0
    ]["codes"]
    assert sorted(covered) == ["02.411", casablanca]
    trail = client.get("/admin/journal?action=permission").get_data(as_text=True)
    assert "territoire : Oriental (région), Casablanca (commune, Casablanca)" in trail
    assert "Territoire : Oujda-Angad (préfecture), Casablanca (commune, Casablanca)" in trail


def test_an_officer_without_a_territory_is_refused_and_nothing_is_written(login, admin):
    client = login(admin)
    _, form = new_account_form(client)
    form.set("role", "officer")
    page = client.post("/admin/utilisateurs", data=form.submission())
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Un(e) chargé(e) territorial(e) doit avoir un territoire" in html
    assert 'value="Leïla Amrani"' in html
    assert not run("MATCH (u:User {email: 'leila@example.org'}) RETURN u")
    assert not run("MATCH (e:AuditEvent {action: 'permission'}) RETURN e")


def test_the_role_list_has_no_default_and_an_analyst_needs_no_territory(login, admin):
    client = login(admin)
    html, form = new_account_form(client)
    assert form.get("role") == ""  # "Choisissez un rôle", not administrator
    page = client.post("/admin/utilisateurs", data=form.submission()).get_data(as_text=True)
    assert "Choisissez un rôle." in page
    assert not run("MATCH (u:User {email: 'leila@example.org'}) RETURN u")
    form.set("role", "analyst")
    assert client.post("/admin/utilisateurs", data=form.submission()).status_code == 302
    assert run("MATCH (u:User {email: 'leila@example.org'}) RETURN u.role AS r")[0]["r"] == (
        "analyst"
    )


def test_an_officers_territory_cannot_be_emptied(login, admin, officer):
    client = login(admin)
    url = f"/admin/utilisateurs/{officer.uid}"
    form = form_with(client.get(url).get_data(as_text=True), "territory-territory")
    form.set("territory-territory", [])
    html = client.post(url, data=form.submission()).get_data(as_text=True)
    assert "doit avoir un territoire" in html
    covered = run("MATCH (:User {uid: $u})-[:COVERS]->(t) RETURN t.code AS c", u=officer.uid)
    assert [row["c"] for row in covered] == ["02"]


def test_suggestions_name_regions_provinces_and_communes_for_administrators_only(
    login, admin, officer
):
    client = login(admin)
    items = client.get("/admin/territoires.json?q=oujda").get_json()["items"]
    labels = [item["label"] for item in items]
    assert "Oujda-Angad (préfecture)" in labels and "Oujda (commune, Oujda-Angad)" in labels
    groups = [item["group"] for item in items]
    assert groups == sorted(groups, key=["Régions", "Provinces et préfectures", "Communes"].index)
    region = client.get("/admin/territoires.json?q=orien").get_json()["items"][0]
    assert region == {
        "code": "02",
        "kind": "Region",
        "label": "Oriental (région)",
        "group": "Régions",
    }
    assert client.get("/admin/territoires.json?q=o").get_json() == {"items": []}
    assert login(officer).get("/admin/territoires.json?q=oujda").status_code == 403


def test_the_grouped_list_puts_the_programme_regions_first(login, admin):
    html = login(admin).get("/admin/utilisateurs").get_data(as_text=True)
    groups = [chunk.split('"')[0] for chunk in html.split('<optgroup label="')[1:]]
    assert len(groups) == 12
    assert all("région du programme" in g for g in groups[:5])
    assert not any("région du programme" in g for g in groups[5:])


def test_deactivation_needs_its_confirmation(login, admin, officer):
    client = login(admin)
    url = f"/admin/utilisateurs/{officer.uid}"
    form = form_with(client.get(url).get_data(as_text=True), "confirm")
    assert form.getlist("confirm") == []  # unticked by default
    response = client.post(
        f"{url}/desactiver", data=form.submission(), headers={"Referer": "http://localhost" + url}
    )
    assert response.status_code == 302 and response.headers["Location"] == url
    assert "Cochez « Je confirme la désactivation »" in client.get(url).get_data(as_text=True)
    assert run("MATCH (u:User {uid: $u}) RETURN u.active AS a", u=officer.uid)[0]["a"] is True

    form.set("confirm", "1")
    client.post(f"{url}/desactiver", data=form.submission())
    assert run("MATCH (u:User {uid: $u}) RETURN u.active AS a", u=officer.uid)[0]["a"] is False
