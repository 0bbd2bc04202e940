"""List exports (issue 12, item 3): every list to CSV and XLSX, read back and compared with
what the list's pages show for the same filters; scope, opposition, formulas, Arabic, audit,
roles. One world per module (built once, on the real Neo4j)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from crm import clock, events, interactions, organisations, people, privacy, users
from crm.labels import person_name
from graph import team
from graph.database import connect, run
from tests.integration.conftest import CASABLANCA, ORIENTAL, OUJDA, PASSWORD

pytestmark = pytest.mark.integration

OPPOSED = "Opposee"  # the opposed person's last name: never in any export
CASA = "Casa"  # in every Casablanca name: never in the Oriental officer's exports
HYPERLINK = '=HYPERLINK("http://evil.example","clic")'


def _wipe() -> None:
    run(
        "MATCH (n) WHERE NOT (n:Region OR n:Province OR n:Commune OR n:TansiqTestDatabase) "
        "DETACH DELETE n"
    )


@pytest.fixture(scope="module")
def world(graph_db):
    """Oujda and Casablanca records, the Oriental officer's and a viewer's clients."""
    from webui import create_app

    connect(graph_db)
    _wipe()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEO4J_URI", graph_db.uri)
        patch.setenv("NEO4J_USER", graph_db.user)
        patch.setenv("NEO4J_PASSWORD", graph_db.password)
        app = create_app({"TESTING": True, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False})

        def account(role, email, territory=()):
            uid = users.create_user(email, email.split("@")[0].title(), PASSWORD, role)
            if territory:
                team.set_territory(uid, list(territory))
            return users.load_session(users.authenticate(email, PASSWORD).session_token)

        manager = account("manager", "manager@example.org")
        officer = account("officer", "officer@example.org", (ORIENTAL,))
        viewer = account("viewer", "viewer@example.org")
        today = clock.today()

        def person(first, last, commune, **more):
            data = {"first_name": first, "last_name": last, "commune": commune, **more}
            return people.create_person(manager, data)

        def org(name, commune, **more):
            data = {"name": name, "kind": "osc", "commune": commune, **more}
            return organisations.create_organisation(manager, data)

        def event(title, commune, day, attendees):
            uid = events.create_event(
                manager,
                {"title": title, "kind": "forum", "commune": commune, "start_date": day},
            )
            for attendee in attendees:
                events.add_participant(manager, uid, {"person": [attendee]})
            return uid

        alami = person(
            "Mohamed", "Alami", OUJDA, phones="0661234567",
            first_name_ar="محمد", last_name_ar="العلمي",
        )  # fmt: skip
        youssef = person("Youssef", HYPERLINK, OUJDA, phones="0536681234")
        amina = person("Amina", "Berrada", OUJDA, first_name_ar="أمينة")
        opposed = person("Fatima", OPPOSED, OUJDA)
        nadia = person("Nadia", CASA + "oui", CASABLANCA)
        association = org("@SUM(A1:A9) Jeunesse", OUJDA, name_ar="جمعية الشباب")
        org("Conseil communal d'Oujda", OUJDA, kind="commune_council")
        org("Association Anfa " + CASA, CASABLANCA)
        forum = event("+1+1", OUJDA, today - timedelta(days=20), [alami, youssef, opposed, nadia])
        event("Atelier budget", OUJDA, today - timedelta(days=5), [amina, alami])
        event("Forum " + CASA, CASABLANCA, today - timedelta(days=2), [nadia])

        def interaction(summary, days_ago, with_people, follow_ups=()):
            return interactions.log_interaction(
                manager,
                {
                    "kind": "meeting",
                    "date": today - timedelta(days=days_ago),
                    "summary": summary,
                    "people": with_people,
                    "organisations": [association],
                    "follow_ups": list(follow_ups),
                },
                today=today,
            )

        interaction("=1+1", 3, [alami, opposed, nadia], [
            {"what": "@SUM(A1)", "due": today - timedelta(days=1), "assignee": officer.uid},
            {"what": "Envoyer le compte rendu", "due": today + timedelta(days=3),
             "assignee": officer.uid},
        ])  # fmt: skip
        interaction("Réunion de suivi", 10, [alami, youssef], [
            {"what": "Appeler le président", "due": today + timedelta(days=30),
             "assignee": officer.uid},
        ])  # fmt: skip
        privacy.set_opposition(manager, opposed, True, confirmed=True)

        def client(actor):
            c = app.test_client()
            response = c.post("/connexion", data={"email": actor.email, "password": PASSWORD})
            assert response.status_code == 302
            return c

        yield {
            "officer": client(officer),
            "viewer": client(viewer),
            "alami": alami,
            "forum": forum,
            "opposed": opposed,
        }
    connect(graph_db)
    _wipe()


# --- what the pages show -------------------------------------------------------------------


def _page(client, path, query=None) -> str:
    response = client.get(path, query_string=query or {})
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _links(page_html: str, prefix: str) -> list[str]:
    """The record links of a list's table rows (``<td><a href="/prefix/uid">text</a>``)."""
    found = re.findall(r'<td><a href="(/' + prefix + r'/[^"/]+)">([^<]*)</a>', page_html)
    return [(href, html.unescape(text)) for href, text in found]


def _every_page(client, path, query, prefix) -> list[tuple[str, str]]:
    rows, number = [], 1
    while True:
        found = _links(_page(client, path, {**query, "page": number}), prefix)
        if not found:
            return rows
        rows += found
        number += 1


def _participants(client, event_path) -> list[str]:
    detail = _page(client, event_path)
    section = detail[detail.index('id="participants-title"') :]
    return [name for _, name in _links(section, "personnes")]


def _shown_people(client, query):
    return [n for _, n in _every_page(client, "/personnes/", query, "personnes")]


def _shown_attendance(client, query):
    listed = _every_page(client, "/evenements/", query, "evenements")
    return [(title, name) for href, title in listed for name in _participants(client, href)]


def _shown_timeline(client, uid):
    return [html.unescape(s) for s in re.findall(r'<p class="notes">([^<]*)</p>',
                                                  _page(client, f"/personnes/{uid}"))]  # fmt: skip


def _shown_follow_ups(client):
    return [html.unescape(w) for w in re.findall(r"<tr>\s*<td>([^<]*)</td>",
                                                  _page(client, "/suivis"))]  # fmt: skip


def _name(row: dict) -> str:
    return person_name(row["Prénom"], row["Nom"])


# list -> (page whose links export it, its query, the rows it shows, an exported row's key,
#          the text of a formula cell it holds, its Arabic cell). "{alami}"/"{forum}" are
#          filled in from the world.
LISTS = {
    "people": (
        "/personnes/", {"region": ORIENTAL, "tri": "recent"},
        lambda c, w, q: [n for n in _shown_people(c, q) if OPPOSED.upper() not in n],
        _name, HYPERLINK, ("الاسم الشخصي", "محمد"),
    ),
    "organisations": (
        "/organisations/", {"region": ORIENTAL},
        lambda c, w, q: [n for _, n in _every_page(c, "/organisations/", q, "organisations")],
        lambda r: r["Nom"], "@SUM(A1:A9) Jeunesse", ("الاسم", "جمعية الشباب"),
    ),
    "events": (
        "/evenements/", {"tri": "title"},
        lambda c, w, q: [n for _, n in _every_page(c, "/evenements/", q, "evenements")],
        lambda r: r["Événement"], "+1+1", None,
    ),
    "attendance_of_events": (
        "/evenements/", {"tri": "upcoming"}, lambda c, w, q: _shown_attendance(c, q),
        lambda r: (r["Événement"], _name(r)), "+1+1", ("الاسم العائلي", "العلمي"),
    ),
    "attendance": (
        "/evenements/{forum}", {}, lambda c, w, q: _participants(c, f"/evenements/{w['forum']}"),
        _name, HYPERLINK, ("الاسم الشخصي", "محمد"),
    ),
    "interactions": (
        "/personnes/{alami}", {}, lambda c, w, q: _shown_timeline(c, w["alami"]),
        lambda r: r["Résumé"], "=1+1", None,
    ),
    "follow_ups": (
        "/suivis", {}, lambda c, w, q: _shown_follow_ups(c),
        lambda r: r["Action"], "@SUM(A1)", None,
    ),
}  # fmt: skip


def _export_links(page_html: str) -> dict[str, str]:
    """{("", "CSV"): href, ("les participations", "Excel"): href, …} of a page."""
    found = re.findall(r'<a href="([^"]+)">Exporter (les participations )?\((CSV|Excel)\)</a>',
                       page_html)  # fmt: skip
    return {(what.strip(), fmt): html.unescape(href) for href, what, fmt in found}


def _read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8 (Arabic)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _read_xlsx(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [list(row) for row in sheet.iter_rows()]
    assert not [c.coordinate for row in cells for c in row if c.data_type == "f"]  # no formula
    return [[c.value if c.value is not None else "" for c in row] for row in cells]


@pytest.mark.parametrize("fmt", ["CSV", "Excel"])
@pytest.mark.parametrize("name", LISTS)
def test_an_export_holds_the_rows_the_list_shows(world, name, fmt):
    page_path, query, shown, key, formula, arabic = LISTS[name]
    client = world["officer"]
    page_html = _page(client, page_path.format(**world), query)
    links = _export_links(page_html)
    what = "les participations" if name == "attendance_of_events" else ""
    link = links[(what, fmt)]
    for param, value in query.items():
        assert f"{param}={value}" in link, link  # the link carries the list's query
    audited = run("MATCH (e:AuditEvent {action: 'export'}) RETURN count(e) AS n")[0]["n"]

    response = client.get(link)
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Disposition"].startswith("attachment;")
    if fmt == "CSV":
        header, *body = _read_csv(response.data)
        # A formula is neutralised by a leading apostrophe; read it back without.
        cells = [[v[1:] if v[:2] in {"'" + s for s in "=+-@"} else v for v in r] for r in body]
    else:
        header, *cells = _read_xlsx(response.data)
        body = cells
    rows = [dict(zip(header, row, strict=True)) for row in cells]

    # The rows the page shows, in its order, every page; nobody opposed, nothing of Casablanca.
    assert [key(r) for r in rows] == shown(client, world, query)
    assert rows, name
    everything = json.dumps(body, ensure_ascii=False, default=str)
    assert OPPOSED.lower() not in everything.lower()
    assert CASA.lower() not in everything.lower()

    # A formula is text, never computed; a phone number in E.164 stays usable.
    raw = [v for r in body for v in r]
    if fmt == "CSV":
        assert "'" + formula in raw and formula not in raw
    else:
        assert formula in raw
    if "Téléphone" in header:
        assert "+212661234567" in [r["Téléphone"] for r in rows]
    if arabic:
        column, value = arabic
        assert value in [r[column] for r in rows]

    entry = run(
        "MATCH (e:AuditEvent {action: 'export'}) RETURN e.details AS d, e.actor_email AS by "
        "ORDER BY e.at DESC LIMIT 1"
    )[0]
    assert run("MATCH (e:AuditEvent {action: 'export'}) RETURN count(e) AS n")[0]["n"] == (
        audited + 1
    )
    details = json.loads(entry["d"])
    assert entry["by"] == "officer@example.org"
    assert details["count"] == len(rows)
    assert details["format"] == ("csv" if fmt == "CSV" else "xlsx")
    if "region" in query:
        assert ORIENTAL in json.dumps(details["filters"])


def test_a_viewer_sees_no_export_link_and_is_refused(world):
    viewer, officer = world["viewer"], world["officer"]
    paths = set()
    for page_path, query, *_ in LISTS.values():
        page_path = page_path.format(**world)
        assert not _export_links(_page(viewer, page_path, query)), page_path
        paths.update(_export_links(_page(officer, page_path, query)).values())
    assert len(paths) >= 2 * len(LISTS)
    before = run("MATCH (e:AuditEvent {action: 'export'}) RETURN count(e) AS n")[0]["n"]
    for path in paths:
        assert viewer.get(path).status_code == 403, path
    assert run("MATCH (e:AuditEvent {action: 'export'}) RETURN count(e) AS n")[0]["n"] == before


def test_the_interactions_of_an_opposed_person_are_not_exported(world):
    officer = world["officer"]
    page = _page(officer, f"/personnes/{world['opposed']}")
    assert "Réunion de suivi" not in page and "=1+1" in page  # the timeline is shown…
    assert not _export_links(page)  # …without export links
    before = run("MATCH (e:AuditEvent {action: 'export'}) RETURN count(e) AS n")[0]["n"]
    response = officer.get(f"/personnes/{world['opposed']}/interactions.xlsx")
    assert response.status_code == 302
    assert "Export impossible" in _page(officer, response.headers["Location"])
    assert run("MATCH (e:AuditEvent {action: 'export'}) RETURN count(e) AS n")[0]["n"] == before
