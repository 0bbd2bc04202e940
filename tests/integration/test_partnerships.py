"""Partnerships between organisations: added from an organisation's page, shown on both
organisations' pages and the commune's, edited with the stale-edit rule, with their history.

Every form is read from the page and submitted as a browser would (tests.formparse).
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from crm import organisations, partnerships
from graph.database import run
from tests.formparse import form_with
from tests.integration.conftest import CASABLANCA, CASABLANCA_SETTAT, OUJDA

pytestmark = pytest.mark.integration


@pytest.fixture
def world(manager):
    def org(name, commune, kind="osc", shared=False, acronym=""):
        data = {"name": name, "kind": kind, "commune": commune, "shared": shared}
        return organisations.create_organisation(manager, {**data, "acronym": acronym})

    return {
        "association": org("Association Oujda Jeunesse", OUJDA),
        "council": org("Conseil communal d'Oujda", OUJDA, "commune_council"),
        "casa": org("Association Anfa Solidarité", CASABLANCA),
        "indh": org(
            "Initiative nationale pour le développement humain",
            "",
            "national_agency",
            shared=True,
            acronym="INDH",
        ),
    }


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


def _new_form(client, organisation: str):
    """The "new partnership" form, reached from the organisation's page."""
    page = _page(client, f"/organisations/{organisation}")
    url = f"/organisations/{organisation}/partenariats/nouveau"
    assert f'href="{url}"' in page and "Ajouter un partenariat" in page
    return url, form_with(_page(client, url), "title")


def _fill(form, partner_name: str, **fields):
    form.set("partner_new", partner_name)
    form.set("kind", fields.get("kind", "convention"))
    form.set("title", fields.get("title", "Convention budget participatif"))
    form.set("since", fields.get("since", "2026-01-15"))
    form.set("until", fields.get("until", "2026-12-31"))
    form.set("status", fields.get("status", "active"))
    return form


def _partnerships() -> list[dict]:
    return run(
        "MATCH (a:Organisation)-[pw:PARTNERS_WITH]->(b:Organisation) "
        "RETURN a.uid AS first, b.uid AS second, properties(pw) AS props"
    )


def _audit(kind: str = "partnership") -> list[dict]:
    return run(
        "MATCH (e:AuditEvent {target_kind: $kind}) "
        "RETURN e.action AS action, e.target_uid AS uid, e.summary AS summary, "
        "e.details AS details ORDER BY e.at",
        kind=kind,
    )


def _create(client, world, **fields) -> str:
    url, form = _new_form(client, world["association"])
    response = client.post(url, data=_fill(form, "Conseil communal d'Oujda", **fields).submission())
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return next(p["props"]["uid"] for p in _partnerships() if p["props"]["title"] == fields.get(
        "title", "Convention budget participatif"))  # fmt: skip


def test_created_from_the_page_and_shown_on_both_organisations_and_the_commune(
    client, world, officer
):
    uid = _create(client, world)

    [stored] = _partnerships()
    assert (stored["first"], stored["second"]) == (world["association"], world["council"])
    props = stored["props"]
    assert (props["kind"], props["title"], props["status"], props["version"]) == (
        "convention",
        "Convention budget participatif",
        "active",
        1,
    )
    assert (props["since"].iso_format(), props["until"].iso_format()) == (
        "2026-01-15",
        "2026-12-31",
    )
    for organisation, partner in (
        (world["association"], "Conseil communal d'Oujda"),
        (world["council"], "Association Oujda Jeunesse"),
    ):
        page = _page(client, f"/organisations/{organisation}")
        assert "Convention budget participatif" in page and f"/partenariats/{uid}" in page
        assert partner in page.split("Partenariats", 1)[1]
        assert "du 15/01/2026 au 31/12/2026" in page and "En cours" in page

    detail = _page(client, f"/partenariats/{uid}")
    assert "Association Oujda Jeunesse" in detail and "Conseil communal d'Oujda" in detail
    assert "Création" in detail and "Partenariat : Convention" in detail

    [row] = partnerships.partnerships_of_commune(officer, OUJDA)
    assert row["uid"] == uid and row["kind_label"] == "Convention"

    [created] = _audit()
    assert (created["action"], created["uid"]) == ("create", uid)
    assert json.loads(created["details"])["organisations"] == [
        world["association"],
        world["council"],
    ]


def test_an_edit_saved_unchanged_keeps_the_partnership_and_a_change_reaches_the_history(
    client, world
):
    uid = _create(client, world)
    url = f"/partenariats/{uid}/modifier"
    assert f'href="{url}"' in _page(client, f"/partenariats/{uid}")
    before = _partnerships()[0]["props"]

    form = form_with(_page(client, url), "title")
    assert client.post(url, data=form.submission()).status_code == 302
    after = _partnerships()[0]["props"]
    unchanged = ("kind", "title", "since", "until", "status")
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    assert after["version"] == 2

    form = form_with(_page(client, url), "title")
    form.set("title", "Convention budget participatif 2026")
    form.set("status", "ended")
    assert client.post(url, data=form.submission()).status_code == 302
    stored = _partnerships()[0]["props"]
    assert (stored["title"], stored["status"], stored["version"]) == (
        "Convention budget participatif 2026",
        "ended",
        3,
    )
    detail = _page(client, f"/partenariats/{uid}")
    history = re.sub(r"<[^>]+>", "", detail.split("Historique", 1)[1])
    assert "Intitulé : Convention budget participatif → Convention budget participatif 2026" in (
        history
    )
    assert "Statut : En cours → Terminé" in history
    assert [e["action"] for e in _audit()] == ["create", "update", "update"]


def test_a_stale_edit_is_refused_and_shows_the_current_version(client, world, manager):
    uid = _create(client, world)
    url = f"/partenariats/{uid}/modifier"
    form = form_with(_page(client, url), "title")
    partnerships.update_partnership(
        manager,
        uid,
        1,
        {"kind": "mou", "title": "Protocole signé", "status": "active", "since": "2026-01-15"},
    )

    form.set("title", "Ma version")
    response = client.post(url, data=form.submission())
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "modifiée par quelqu'un d'autre" in page
    assert "Version actuelle enregistrée (version 2)" in page
    assert "Protocole signé" in page and "Protocole d'accord (MoU)" in page
    assert _partnerships()[0]["props"]["title"] == "Protocole signé"
    # Sent again with the version shown, it is saved.
    assert client.post(url, data=form_with(page, "title").submission()).status_code == 302
    assert _partnerships()[0]["props"]["title"] == "Ma version"


def test_an_end_before_the_start_is_refused_and_nothing_is_written(client, world):
    url, form = _new_form(client, world["association"])
    _fill(form, "Conseil communal d'Oujda", since="2026-05-01", until="2026-01-31")
    response = client.post(url, data=form.submission())
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "La date de fin précède la date de début" in page
    assert _partnerships() == [] and _audit() == []


def test_an_organisation_cannot_partner_with_itself(client, world):
    url, form = _new_form(client, world["association"])
    _fill(form, "Association Oujda Jeunesse")
    response = client.post(url, data=form.submission())
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "ne peut pas être partenaire d'elle-même" in page
    assert _partnerships() == [] and _audit() == []


def test_the_same_partnership_twice_is_refused(client, world):
    _create(client, world)
    url, form = _new_form(client, world["council"])
    response = client.post(url, data=_fill(form, "Association Oujda Jeunesse").submission())
    assert response.status_code == 200
    assert "déjà enregistré" in unescape(response.get_data(as_text=True))
    assert len(_partnerships()) == 1


def test_an_officer_cannot_link_an_organisation_of_another_region(client, world):
    # Not from the other region's organisation's page…
    response = client.get(f"/organisations/{world['casa']}/partenariats/nouveau")
    assert response.status_code == 404
    # …nor by naming it as the partner (its uid posted as a picker value).
    url, form = _new_form(client, world["association"])
    data = _fill(form, "").submission()
    data.setlist("partner", [world["casa"]])
    assert client.post(url, data=data).status_code == 404
    assert _partnerships() == []
    denied = [e["uid"] for e in _audit("organisation") if e["action"] == "denied"]
    assert denied == [world["casa"], world["casa"]]


def test_an_officer_links_an_association_with_a_shared_national_institution(
    client, world, make_user, login
):
    url, form = _new_form(client, world["association"])
    response = client.post(url, data=_fill(form, "INDH", kind="subsidy").submission())
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    [stored] = _partnerships()
    assert (stored["first"], stored["second"]) == (world["association"], world["indh"])
    uid = stored["props"]["uid"]
    assert "Association Oujda Jeunesse" in _page(client, f"/organisations/{world['indh']}")
    assert f'href="/partenariats/{uid}/modifier"' in _page(client, f"/partenariats/{uid}")

    # The officer of Casablanca sees INDH's partnership, without its Oujda partner, read only.
    casa = login(make_user("officer", "casa@example.org", (CASABLANCA_SETTAT,)))
    indh_page = _page(casa, f"/organisations/{world['indh']}")
    assert "une organisation hors de votre périmètre" in indh_page
    assert "Association Oujda Jeunesse" not in indh_page
    detail = _page(casa, f"/partenariats/{uid}")
    assert "Association Oujda Jeunesse" not in detail and "/modifier" not in detail
    assert casa.get(f"/partenariats/{uid}/modifier").status_code == 403
    # Nor may they link INDH with an organisation they cannot see.
    response = casa.get(f"/organisations/{world['association']}/partenariats/nouveau")
    assert response.status_code == 404


def test_two_institutions_the_officer_only_reads_cannot_be_linked(client, world, manager):
    dgct = organisations.create_organisation(
        manager,
        {"name": "DGCT", "kind": "central_administration", "commune": "", "shared": True},
    )
    url, form = _new_form(client, world["indh"])
    response = client.post(url, data=_fill(form, "DGCT").submission())
    assert response.status_code == 200
    assert "Vous ne pouvez modifier aucune des deux organisations" in unescape(
        response.get_data(as_text=True)
    )
    assert _partnerships() == [] and dgct
