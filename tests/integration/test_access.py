"""Who may see and do what: roles and territories, enforced in crm/ for every route."""

import pytest

from crm import organisations, people
from graph.database import run
from tests.integration.conftest import CASABLANCA_SETTAT, ORIENTAL

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"
CASABLANCA = "06.141.01.0"


@pytest.fixture
def manager(make_user):
    return make_user("manager", "manager@example.org")


@pytest.fixture
def world(manager):
    """Records in two regions and one shared national institution, created by the manager."""

    def org(name, commune, shared=False, kind="osc"):
        data = {"name": name, "kind": kind, "commune": commune, "shared": shared}
        return organisations.create_organisation(manager, data)

    def person(first, last, commune=None, org_uid=None):
        uid = people.create_person(
            manager, {"first_name": first, "last_name": last, "commune": commune or ""}
        )
        if org_uid:
            people.link_to_organisation(manager, uid, org_uid, {"role": "Membre"})
        return uid

    oriental_org = org("Association Oujda Jeunesse", OUJDA)
    casa_org = org("Association Anfa Solidarité", CASABLANCA)
    dgct = org(
        "Direction générale des collectivités territoriales", "", True, "central_administration"
    )
    return {
        "oriental_org": oriental_org,
        "casa_org": casa_org,
        "dgct": dgct,
        "oriental_person": person("Karim", "Oujdi", OUJDA),
        "casa_person": person("Nadia", "Casaoui", None, casa_org),
        "dgct_person": person("Said", "Rabati", None, dgct),
    }


def _get_routes(app):
    """Every GET route that takes a record uid, present and future."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "<uid>" in rule.rule and "GET" in rule.methods
    )


def _post_routes(app):
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "<uid>" in rule.rule and "POST" in rule.methods
    )


def test_officer_cannot_reach_another_regions_records_through_any_route(app, login, officer, world):
    client = login(officer)
    foreign = [world["casa_org"], world["casa_person"]]
    get_routes = _get_routes(app)
    assert len(get_routes) >= 4
    for route in get_routes:
        for uid in foreign:
            response = client.get(route.replace("<uid>", uid))
            assert response.status_code == 404, (route, uid)
            html = response.get_data(as_text=True).lower()
            assert "anfa" not in html and "casaoui" not in html
    for route in _post_routes(app):
        for uid in foreign:
            response = client.post(
                route.replace("<uid>", uid),
                data={
                    "first_name": "Pirate",
                    "last_name": "Pirate",
                    "name": "Pirate",
                    "kind": "osc",
                    "version": "1",
                    "role": "x",
                    "organisation": "x",
                },
            )
            assert response.status_code == 404, (route, uid)
    assert (
        run("MATCH (n) WHERE n.name = 'Pirate' OR n.last_name = 'Pirate' RETURN count(n) AS n")[0][
            "n"
        ]
        == 0
    )
    denied = run(
        "MATCH (e:AuditEvent {action: 'denied', actor_uid: $uid}) RETURN count(e) AS n",
        uid=officer.uid,
    )[0]["n"]
    assert denied >= len(get_routes)


def test_officer_lists_searches_and_suggestions_stay_in_the_territory(login, officer, world):
    client = login(officer)
    people_page = client.get("/personnes/").get_data(as_text=True).lower()
    assert "oujdi" in people_page and "rabati" in people_page  # own region + shared institution
    assert "casaoui" not in people_page
    orgs = client.get("/organisations/").get_data(as_text=True)
    assert "Oujda Jeunesse" in orgs and "Direction générale" in orgs and "Anfa" not in orgs
    assert "0 organisation" in client.get("/organisations/?q=anfa").get_data(as_text=True)
    assert client.get("/organisations/suggestions.json?q=anfa").get_json() == {"items": []}
    assert "0 personne" in client.get("/personnes/?q=casaoui").get_data(as_text=True)
    commune = client.get(f"/territoires/commune/{CASABLANCA}").get_data(as_text=True)
    assert "Anfa" not in commune  # the commune is public reference data; its records are not


def test_officer_reads_but_cannot_edit_shared_institutions(login, officer, world):
    client = login(officer)
    assert client.get(f"/organisations/{world['dgct']}").status_code == 200
    assert client.get(f"/organisations/{world['dgct']}/modifier").status_code == 403
    assert client.get(f"/personnes/{world['dgct_person']}").status_code == 200
    assert client.get(f"/personnes/{world['dgct_person']}/modifier").status_code == 403


def test_officer_cannot_create_outside_the_territory_nor_mark_shared(login, officer, world):
    client = login(officer)
    response = client.post(
        "/organisations/nouvelle",
        data={"name": "Intrus", "kind": "osc", "commune": CASABLANCA},
    )
    assert "hors de votre territoire" in response.get_data(as_text=True)
    response = client.post(
        "/organisations/nouvelle",
        data={"name": "Maison des jeunes", "kind": "osc", "commune": OUJDA, "shared": "y"},
    )
    assert response.status_code == 302
    shared = run("MATCH (o:Organisation {name: 'Maison des jeunes'}) RETURN o.shared AS s")
    assert shared == [{"s": False}]
    # Moving an own record to another region is refused too.
    version = run("MATCH (o:Organisation {uid: $u}) RETURN o.version AS v", u=world["oriental_org"])
    response = client.post(
        f"/organisations/{world['oriental_org']}/modifier",
        data={
            "name": "Association Oujda Jeunesse",
            "kind": "osc",
            "commune": CASABLANCA,
            "version": version[0]["v"],
        },
    )
    assert "hors de votre territoire" in response.get_data(as_text=True)


def test_manager_reads_and_writes_everywhere(login, manager, world):
    client = login(manager)
    for uid in (world["casa_org"], world["oriental_org"], world["dgct"]):
        assert client.get(f"/organisations/{uid}/modifier").status_code == 200
    assert "CASAOUI" in client.get("/personnes/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_read_only_roles_cannot_write(make_user, login, world, role):
    reader = make_user(role, f"{role}@example.org")
    client = login(reader)
    assert client.get(f"/personnes/{world['casa_person']}").status_code == 200
    assert "Nouvelle personne" not in client.get("/personnes/").get_data(as_text=True)
    assert (
        client.post("/personnes/nouvelle", data={"first_name": "A", "last_name": "B"}).status_code
        == 403
    )
    assert client.get(f"/organisations/{world['casa_org']}/modifier").status_code == 403
    assert run("MATCH (p:Person {first_name: 'A'}) RETURN count(p) AS n")[0]["n"] == 0


def test_viewer_with_a_territory_sees_only_it(make_user, login, world):
    viewer = make_user("viewer", "viewer@example.org", (CASABLANCA_SETTAT,))
    client = login(viewer)
    assert client.get(f"/personnes/{world['casa_person']}").status_code == 200
    assert client.get(f"/personnes/{world['oriental_person']}").status_code == 404


def test_territory_is_set_by_an_administrator_and_audited(make_user, officer):
    from crm import team
    from crm.errors import Forbidden, Invalid

    admin = make_user("admin", "admin@example.org")
    with pytest.raises(Forbidden):
        team.set_territory(officer, officer.uid, [CASABLANCA_SETTAT])
    with pytest.raises(Invalid):
        team.set_territory(admin, officer.uid, ["99"])
    units = team.set_territory(admin, officer.uid, [ORIENTAL, CASABLANCA])
    assert {u["kind"] for u in units} == {"Region", "Commune"}
    event = run("MATCH (e:AuditEvent {action: 'permission'}) RETURN e.summary AS s")[0]["s"]
    assert "Oriental" in event and "Casablanca" in event
