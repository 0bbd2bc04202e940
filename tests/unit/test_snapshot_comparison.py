"""Comparing two snapshot summaries (crm.snapshots.compare), worked out by hand."""

from crm.snapshots import compare

BEFORE = {
    "overall": {"nodes": 10, "ties": 12, "density": 0.2, "gaps": 3, "women_share": None},
    "communes": {
        "02.411.01.23": {"name": "Oujda", "density": 0.5, "cross_sector_ties": 2, "gaps": 2},
        "02.411.01.11": {"name": "Naima", "density": 0.0, "cross_sector_ties": 0, "gaps": 1},
    },
    "gaps": [
        {
            "key": "02.411.01.23|no_vertical_tie",
            "commune": "02.411.01.23",
            "rule": "no_vertical_tie",
        },
        {
            "key": "02.411.01.23|single_person_tie|a|b",
            "commune": "02.411.01.23",
            "rule": "single_person_tie",
        },
        {
            "key": "02.411.01.11|no_council_association_tie",
            "commune": "02.411.01.11",
            "rule": "no_council_association_tie",
        },
    ],
}
AFTER = {
    "overall": {"nodes": 12, "ties": 12, "density": 0.15, "gaps": 2, "women_share": 0.4},
    "communes": {
        "02.411.01.23": {"name": "Oujda", "density": 0.6, "cross_sector_ties": 2, "gaps": 1},
        "06.141.01.0": {"name": "Casablanca", "density": 0.1, "cross_sector_ties": 1, "gaps": 1},
    },
    "gaps": [
        {
            "key": "02.411.01.23|single_person_tie|a|b",
            "commune": "02.411.01.23",
            "rule": "single_person_tie",
        },
        {"key": "06.141.01.0|no_vertical_tie", "commune": "06.141.01.0", "rule": "no_vertical_tie"},
    ],
}


def _by_figure(rows):
    return {row["figure"]: row for row in rows}


def test_overall_figures_say_what_improved_and_what_worsened():
    overall = _by_figure(compare(BEFORE, AFTER)["overall"])
    assert overall["nodes"]["delta"] == 2 and overall["nodes"]["trend"] == "better"
    assert overall["ties"]["trend"] == "same"
    assert overall["density"]["delta"] == -0.05 or abs(overall["density"]["delta"] + 0.05) < 1e-9
    assert overall["density"]["trend"] == "worse"
    assert overall["gaps"]["trend"] == "better"  # fewer gaps is better
    assert overall["women_share"]["trend"] == "" and overall["women_share"]["delta"] is None


def test_gaps_closed_and_opened_overall_and_per_commune():
    result = compare(BEFORE, AFTER)
    assert {g["key"] for g in result["gaps_closed"]} == {
        "02.411.01.23|no_vertical_tie",
        "02.411.01.11|no_council_association_tie",
    }
    assert [g["key"] for g in result["gaps_opened"]] == ["06.141.01.0|no_vertical_tie"]
    communes = {c["code"]: c for c in result["communes"]}
    assert set(communes) == {"02.411.01.23", "02.411.01.11", "06.141.01.0"}
    oujda = communes["02.411.01.23"]
    assert [g["rule"] for g in oujda["gaps_closed"]] == ["no_vertical_tie"] and not oujda[
        "gaps_opened"
    ]
    assert _by_figure(oujda["figures"])["density"]["trend"] == "better"
    # A commune only in the first snapshot: its figures have no "after".
    naima = _by_figure(communes["02.411.01.11"]["figures"])
    assert naima["density"]["after"] is None and naima["density"]["trend"] == ""


def test_two_empty_summaries_compare_to_nothing():
    empty = {"overall": {}, "communes": {}, "gaps": []}
    assert compare(empty, empty) == {
        "overall": [],
        "communes": [],
        "gaps_closed": [],
        "gaps_opened": [],
    }


def test_the_actors_page_sorts_by_a_metric_and_pages():
    from crm.network import actors_page

    actors = [
        {"uid": f"u{i:03d}", "name": f"Acteur {i:03d}", "degree": i % 7,
         "constraint": None if i == 5 else i / 1000}
        for i in range(250)
    ]  # fmt: skip
    first = actors_page({"actors": actors}, "degree", 1)
    assert first.total == 250 and first.pages == 3 and len(first.items) == 100
    assert [r["degree"] for r in first.items[:3]] == [6, 6, 6]
    last = actors_page({"actors": actors}, "constraint", 3)
    assert last.items[-1]["uid"] == "u005"  # no value: last
    assert actors_page({"actors": actors}, "constraint", 1).items[0]["uid"] == "u000"
    assert actors_page({"actors": actors}, "name", 1).items[0]["name"] == "Acteur 000"
    assert actors_page({"actors": []}, "unknown", 9).items == []
