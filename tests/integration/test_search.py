"""Search across people and organisations, through the HTTP client, on the full-text index."""

import re

import neo4j
import pytest

from crm import organisations, people
from crm.search import person_keys
from graph.database import run
from graph.search import lucene_query

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"  # Oriental (02), prefecture Oujda-Angad (02.411)
BERKANE = "02.113.01.09"  # Oriental, another province
CASABLANCA = "06.141.01.0"  # Casablanca-Settat (06)


@pytest.fixture
def manager(make_user):
    return make_user("manager", "manager@example.org")


def _person(actor, first, last, commune=OUJDA, **extra) -> str:
    data = {"first_name": first, "last_name": last, "commune": commune, **extra}
    return people.create_person(actor, data)


def _organisation(actor, name, commune=OUJDA, kind="osc", **extra) -> str:
    data = {"name": name, "kind": kind, "commune": commune, **extra}
    return organisations.create_organisation(actor, data)


def _people(client, **query) -> str:
    response = client.get("/personnes/", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _organisations(client, **query) -> str:
    response = client.get("/organisations/", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _found(html: str, kind: str = "personnes") -> list[str]:
    """The uids listed in a result page, in order."""
    return re.findall(r'href="/' + kind + r'/([0-9a-f]{32})"', html)


@pytest.fixture
def alami(manager):
    """'Mohamed Alami' / 'محمد العلمي' and people whose names look alike."""
    return {
        "alami": _person(manager, "Mohamed", "Alami", first_name_ar="محمد", last_name_ar="العلمي"),
        "alaoui": _person(manager, "Mahmoud", "Alaoui", first_name_ar="محمود"),
        "zahrae": _person(manager, "Fatima", "Zahraé"),
    }


@pytest.mark.parametrize(
    "typed",
    [
        "Mohammed El Alami",
        "mohamed alami",
        "محمد العلمى",
        "MOHAMMAD AL-ALAMI",
        "Mhamed Elalami",
        "moha",
        "alam",
        "Moh Ala",
        "العلم",
        "علمي",
    ],
)
def test_transliterations_partial_words_and_arabic_find_mohamed_alami(client, alami, typed):
    found = _found(_people(client, q=typed))
    assert found == [alami["alami"]], typed


def test_arabic_letter_variants_tatweel_and_diacritics(client, manager):
    uid = _person(manager, "Fatima", "Idrissi", first_name_ar="فاطمة", last_name_ar="الإدريسي")
    other = _person(manager, "Amina", "Tazi", first_name_ar="أمينة", last_name_ar="التازي")
    for typed in ("فاطمه", "فاطـــمة", "فَاطِمَة", "الادريسي", "الإدريسى", "ادريسي"):
        assert _found(_people(client, q=typed)) == [uid], typed
    for typed in ("امينه", "آمينة", "إمينة"):  # alef with hamza or madda, taa marbuta
        assert _found(_people(client, q=typed)) == [other], typed
    # Stored with diacritics and tatweel, found by the plain spelling.
    vowelled = _person(manager, "Omar", "Kadiri", first_name_ar="عُمَـــر")
    assert _found(_people(client, q="عمر")) == [vowelled]


def test_accents_and_case_do_not_matter(client, manager):
    beni = _organisation(manager, "Association Béni Snassen pour le développement")
    plain = _organisation(manager, "Coopérative beni drar", commune=BERKANE, kind="cooperative")
    _organisation(manager, "Association Nour")
    for typed in ("Béni", "beni", "BENI", "bÉn"):
        assert sorted(_found(_organisations(client, q=typed), "organisations")) == sorted(
            [beni, plain]
        ), typed
    found = _found(_organisations(client, q="developpement snassen"), "organisations")
    assert found == [beni]
    assert _found(_organisations(client, q="COOPERATIVE Drâr"), "organisations") == [plain]


def test_acronym_email_and_article_variants(client, manager):
    amal = _organisation(manager, "Association El Amal", acronym="AEA")
    person = _person(manager, "Karim", "Benali", emails="k.benali@example.org")
    assert _found(_organisations(client, q="al amal"), "organisations") == [amal]
    assert _found(_organisations(client, q="aea"), "organisations") == [amal]
    assert _found(_people(client, q="ben ali")) == [person]
    assert _found(_people(client, q="k.benali@example")) == [person]
    suggestions = client.get("/organisations/suggestions.json?q=amal").get_json()["items"]
    assert [item["uid"] for item in suggestions] == [amal]


def test_whole_words_rank_before_prefixes(client, manager):
    prefix = _person(manager, "Benaliya", "Abbas")  # first by name
    whole = _person(manager, "Zakaria", "Benali")
    assert _found(_people(client, q="benali")) == [whole, prefix]
    assert _found(_people(client, q="benali", tri="name")) == [prefix, whole]
    assert _found(_people(client, q="benali zakaria")) == [whole]


def test_filters_by_kind_territory_and_theme(login, manager):
    client = login(manager)
    council = _organisation(manager, "Conseil communal d'Oujda", kind="commune_council")
    osc = _organisation(manager, "Association Oujda Jeunesse", themes=["jeunesse"])
    berkane = _organisation(manager, "Association Berkane Jeunesse", commune=BERKANE)
    casa = _organisation(
        manager, "Association Anfa Jeunesse", commune=CASABLANCA, themes=["jeunesse", "genre"]
    )

    def orgs(**query):
        return sorted(_found(_organisations(client, **query), "organisations"))

    assert orgs(type="commune_council") == [council]
    assert orgs(type="osc", q="jeunesse") == sorted([osc, berkane, casa])
    assert orgs(region="02") == sorted([council, osc, berkane])
    assert orgs(region="06", q="association") == [casa]
    assert orgs(region="02.411") == sorted([council, osc])  # a province
    assert orgs(commune=f"Oujda (Oujda-Angad) [{OUJDA}]") == sorted([council, osc])
    assert orgs(commune=OUJDA, region="06") == sorted([council, osc])  # the commune wins
    assert orgs(theme="jeunesse") == sorted([osc, casa])
    assert orgs(theme="genre", region="02") == []
    assert orgs(type="not-a-kind") == sorted([council, osc, berkane, casa])  # ignored

    # People: where they are located, or where they hold a current function.
    located = _person(manager, "Nadia", "Oujdia", themes=["genre"])
    member = _person(manager, "Hassan", "Casaoui", commune="")
    people.link_to_organisation(manager, member, casa, {"role": "Trésorier"})
    former = _person(manager, "Ali", "Ancien", commune="")
    people.link_to_organisation(
        manager, former, casa, {"role": "Président", "since": "2015-01-01", "until": "2020-01-01"}
    )

    def persons(**query):
        return sorted(_found(_people(client, **query)))

    assert persons(region="02") == [located]
    assert persons(region="06") == [member]
    assert persons(commune=CASABLANCA) == [member]
    assert persons(theme="genre") == [located]
    assert persons(theme="genre", region="06") == []


def test_unknown_commune_gets_a_message_and_no_results(login, manager):
    client = login(manager)
    _person(manager, "Mohamed", "Alami")
    html = _people(client, commune="Atlantide")
    assert "Commune inconnue" in html and 'aria-invalid="true"' in html
    assert "0 personne" in html
    html = _organisations(client, commune="Atlantide")
    assert "Commune inconnue" in html


def test_pagination_keeps_the_filters(client, manager):
    uids = [_person(manager, f"Karim{n:02d}", "Benali", themes=["jeunesse"]) for n in range(1, 31)]
    _person(manager, "Karim", "Benali")  # no theme: filtered out
    first = _people(client, q="benali", theme="jeunesse", tri="name")
    assert "30 personnes" in first and "Page 1 sur 2" in first
    assert _found(first) == uids[:25]
    link = re.search(r'href="(/personnes/\?[^"]*page=2[^"]*)"', first).group(1)
    assert "q=benali" in link and "theme=jeunesse" in link and "tri=name" in link
    second = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert _found(second) == uids[25:] and "Page 2 sur 2" in second
    back = re.search(r'href="(/personnes/\?[^"]*page=1[^"]*)"', second).group(1)
    assert "theme=jeunesse" in back
    beyond = _people(client, q="benali", theme="jeunesse", page=9)
    assert _found(beyond) == [] and "30 personnes" in beyond


def test_sort_keys_come_from_an_allowlist(client, manager):
    _person(manager, "Zineb", "Tazi")
    alami = _person(manager, "Youssef", "Alami")
    abbas = _person(manager, "Omar", "Abbas")
    by_relevance = _found(_people(client, q="alami"))
    for junk in ("name) DETACH DELETE p //", "p.uid", "relevance DESC"):
        assert _found(_people(client, q="alami", tri=junk)) == by_relevance == [alami]
        assert _found(_people(client, tri=junk))[0] == abbas  # no text: by name
    # Relevance without text means name order.
    assert _found(_people(client, tri="relevance"))[0] == abbas
    assert run("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == 3


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ('"foo" AND bar~ * ? : \\ / ( ) [ ] { } ^', set()),
        ("alami OR *", set()),
        ("alami~2", set()),
        ("name_key:mahamad", set()),
        ("search_key:*", set()),
        ("NOT zzz", set()),
        ("[* TO *]", set()),
        ("a" * 5000, set()),
        (" ".join(["mohamed"] * 200), {"alami"}),
        ("*", {"alami", "alaoui", "zahrae"}),  # no words: the whole list, as for ''
        ("*:*", {"alami", "alaoui", "zahrae"}),
    ],
)
def test_lucene_syntax_in_the_query_is_plain_text(client, manager, alami, typed, expected):
    uids = {alami[name] for name in expected}
    assert set(_found(_people(client, q=typed))) == uids
    organisation = _organisation(manager, "Association Alami")
    found = _found(_organisations(client, q=typed), "organisations")
    assert found == ([organisation] if len(expected) == 3 else [])
    response = client.get("/organisations/suggestions.json", query_string={"q": typed})
    assert response.status_code == 200 and response.get_json() == {"items": []}


def test_lucene_terms_are_escaped_even_when_a_caller_passes_raw_text():
    special = '+-!(){}[]^"~*?:\\/&| '
    query = lucene_query([("a" + special + "b", "AND")], ["OR"])
    assert query == (
        "(+(search_key:a" + "".join("\\" + c for c in special) + "b^2 "
        "search_key:a" + "".join("\\" + c for c in special) + "b* name_key:\\AND)) "
        "(+name_key:\\OR)"
    )


def test_search_stays_in_the_officers_territory(client, manager):
    mine = _person(manager, "Mohamed", "Alami")
    casablanca = _person(manager, "Mohammed", "El Alami", commune=CASABLANCA)
    anfa = _organisation(manager, "Association Alami Anfa", commune=CASABLANCA)
    assert _found(_people(client, q="Mohammed El Alami")) == [mine]
    assert casablanca not in _people(client, q="alami", region="06")
    assert "0 personne" in _people(client, region="06")
    assert "0 organisation" in _organisations(client, q="alami")
    assert anfa not in _organisations(client, commune=CASABLANCA)
    assert client.get("/organisations/suggestions.json?q=alami").get_json() == {"items": []}


def test_reindex_gives_old_records_their_keys(app, client, manager):
    uid = _person(manager, "Mohamed", "Alami", first_name_ar="محمد", emails="m.alami@example.org")
    org = _organisation(manager, "Association El Amal")
    written = run("MATCH (p:Person {uid: $uid}) RETURN properties(p) AS p", uid=uid)[0]["p"]
    assert person_keys(written) == {
        "search_key": written["search_key"],
        "name_key": written["name_key"],
        "sort_key": written["sort_key"],
    }
    # Records from before the name keys (and one whose folding changed).
    run("MATCH (n) WHERE n:Person OR n:Organisation REMOVE n.name_key")
    run("MATCH (o:Organisation {uid: $uid}) SET o.search_key = 'stale'", uid=org)
    assert _found(_people(client, q="Mhamed")) == []
    runner = app.test_cli_runner()
    result = runner.invoke(args=["graph", "reindex"])
    assert result.exit_code == 0, result.output
    assert "1 personne(s), 1 organisation(s)" in result.output
    assert _found(_people(client, q="Mhamed")) == [uid]
    assert _found(_organisations(client, q="al amal"), "organisations") == [org]
    after = run("MATCH (p:Person {uid: $uid}) RETURN properties(p) AS p", uid=uid)[0]["p"]
    assert after["version"] == written["version"]  # derived data: no edit conflict
    assert (after["search_key"], after["name_key"]) == (
        written["search_key"],
        written["name_key"],
    )
    assert "0 personne(s), 0 organisation(s)" in runner.invoke(args=["graph", "reindex"]).output
    assert "0 personne(s)" in runner.invoke(args=["graph", "reindex", "--all"]).output
    assert "Clés de recherche" in runner.invoke(args=["graph", "install-schema"]).output


def test_the_people_list_reads_its_order_from_the_sort_key(app, login, manager, clean_db):
    """Last name then first name, case and accents folded, "Ait" before "Ait Ahmed"; the
    manager's list reads them in order from the index (a page costs what it shows), and
    people whose key is missing (written before it existed, anonymised since) get it back."""
    client = login(manager)
    from crm import privacy
    from crm.search import SearchQuery
    from graph import search as store

    uids = {
        name: _person(manager, *name.split(", ")[::-1], commune=commune)
        for name, commune in (
            ("Ait Ahmed, Amina", OUJDA), ("Ait, Zineb", CASABLANCA), ("élias, Omar", BERKANE),
            ("Elias, Nadia", OUJDA), ("Emrani, karim", OUJDA), ("emrani, Ali", CASABLANCA),
        )
    }  # fmt: skip
    expected = ["Ait, Zineb", "Ait Ahmed, Amina", "Elias, Nadia", "élias, Omar",
                "emrani, Ali", "Emrani, karim"]  # fmt: skip
    assert _found(_people(client)) == [uids[n] for n in expected]
    assert _found(_people(client, tri="name")) == [uids[n] for n in expected]

    query = store._people_match(SearchQuery(), manager.scope.as_params())[0]
    params = {**SearchQuery().params(), **manager.scope.as_params()}
    quiet = [neo4j.NotificationDisabledClassification.UNRECOGNIZED]  # no 'until' in this database
    auth = (clean_db.user, clean_db.password)
    with neo4j.GraphDatabase.driver(
        clean_db.uri, auth=auth, notifications_disabled_classifications=quiet
    ) as d:
        with d.session() as session:
            summary = session.run(
                "EXPLAIN " + query + "RETURN p ORDER BY p.sort_key, p.uid LIMIT 25", params
            ).consume()
            found, _ = store._candidates(
                "Organisation", "o", SearchQuery(), manager.scope.as_params()
            )
            organisations = session.run(
                "EXPLAIN " + found + "RETURN o ORDER BY o.search_key, o.uid LIMIT 25", params
            ).consume()
    assert "RANGE INDEX p:Person(sort_key)" in str(summary.plan)
    assert "RANGE INDEX o:Organisation(search_key)" in str(organisations.plan)

    # Written before the key existed: reindexed by install-schema, listed again in its place.
    run("MATCH (p:Person {uid: $uid}) REMOVE p.sort_key", uid=uids["Elias, Nadia"])
    assert uids["Elias, Nadia"] not in _found(_people(client))
    result = app.test_cli_runner().invoke(args=["graph", "install-schema"])
    assert "1 personne(s)" in result.output, result.output
    assert _found(_people(client)) == [uids[n] for n in expected]

    privacy.anonymise(manager, uids["Ait, Zineb"], "ANONYMISER")
    listed = _found(_people(client))
    assert listed[0] == uids["Ait Ahmed, Amina"] and uids["Ait, Zineb"] in listed
    run("MATCH (p:Person {uid: $uid}) REMOVE p.sort_key", uid=uids["Ait, Zineb"])
    assert "1 personne(s)" in app.test_cli_runner().invoke(args=["graph", "reindex"]).output
    assert _found(_people(client)) == listed
    keys = run("MATCH (p:Person {uid: $uid}) RETURN p.search_key AS s, p.sort_key AS k",
               uid=uids["Ait, Zineb"])[0]  # fmt: skip
    assert keys["s"] == "" and keys["k"].startswith("anonymisee")


def test_an_officer_finds_at_once_whoever_a_write_brings_into_the_territory(client, manager):
    """An officer's search keeps, inside Lucene, the people whose territory words
    (``graph.scope_keys``) name one of their communes: every write that brings someone into
    the Oriental must add the word, or the officer's search would miss them."""
    from crm import affiliations, dedupe

    def findable(last_name: str) -> bool:
        return bool(_found(_people(client, q=last_name)))

    def version(label: str, uid: str) -> int:
        return run("MATCH (n:" + label + " {uid: $uid}) RETURN n.version AS v", uid=uid)[0]["v"]

    casa_osc = _organisation(manager, "Association Anfa", commune=CASABLANCA)
    oujda_osc = _organisation(manager, "Association Oujda", commune=OUJDA)

    # The person moves to a commune of the territory.
    mover = _person(manager, "Karim", "Demenageur", commune=CASABLANCA)
    assert not findable("Demenageur")
    data = {"first_name": "Karim", "last_name": "Demenageur", "commune": BERKANE}
    people.update_person(manager, mover, version("Person", mover), data)
    assert findable("Demenageur")

    # A function in an organisation of the territory.
    member = _person(manager, "Salma", "Adherente", commune=CASABLANCA)
    assert not findable("Adherente")
    people.link_to_organisation(manager, member, oujda_osc, {"role": "Membre"})
    assert findable("Adherente")

    # The function handed over to a successor.
    successor = _person(manager, "Omar", "Successeur", commune=CASABLANCA)
    function = people.link_to_organisation(manager, member, oujda_osc, {"role": "Présidente"})
    assert not findable("Successeur")
    affiliations.hand_over(manager, function, successor, "2026-01-15")
    assert findable("Successeur")

    # Their organisation moves into the territory, or becomes a shared institution.
    moved_member = _person(manager, "Nadia", "Voyageuse", commune=CASABLANCA)
    shared_member = _person(manager, "Ali", "Partage", commune=CASABLANCA)
    other_casa_osc = _organisation(manager, "Association Maarif", commune=CASABLANCA)
    people.link_to_organisation(manager, moved_member, casa_osc, {"role": "Membre"})
    people.link_to_organisation(manager, shared_member, other_casa_osc, {"role": "Membre"})
    assert not findable("Voyageuse") and not findable("Partage")
    organisation = {"name": "Association Anfa", "kind": "osc", "commune": OUJDA}
    organisations.update_organisation(manager, casa_osc, version("Organisation", casa_osc),
                                      organisation)  # fmt: skip
    organisation = {"name": "Association Maarif", "kind": "osc", "commune": CASABLANCA,
                    "shared": "on"}  # fmt: skip
    organisations.update_organisation(
        manager, other_casa_osc, version("Organisation", other_casa_osc), organisation
    )
    assert findable("Voyageuse") and findable("Partage")

    # A merge gives the kept record the removed one's functions.
    kept = _person(manager, "Hassan", "Fusionne", commune=CASABLANCA)
    removed = _person(manager, "Hassan", "Fusionne", commune="")
    people.link_to_organisation(manager, removed, oujda_osc, {"role": "Trésorier"})
    assert _found(_people(client, q="Fusionne")) == [removed]
    dedupe.merge(manager, "person", (kept, removed), kept,
                 (version("Person", kept), version("Person", removed)))  # fmt: skip
    assert _found(_people(client, q="Fusionne")) == [kept]
