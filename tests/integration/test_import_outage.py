"""Neo4j stops in the middle of an import's commit (issue 12, item 5): nothing half-written
remains, the user is told in French (no 500 page), and running the import again succeeds.

The test run's own Neo4j is really stopped, between two batches of the commit, and started
again on the same data."""

from __future__ import annotations

import pytest

from graph import imports as store
from graph.database import connect, run
from tests.formparse import forms
from tests.integration.test_imports import (
    FIRST,
    commit_form,
    count,
    csv_bytes,
    draft_of,
    generated_name,
    submit_mapping,
    upload,
    words,
)

pytestmark = pytest.mark.integration

ROWS = 2_500  # three batches of people


def test_an_import_interrupted_by_neo4j_stopping_leaves_nothing_and_runs_again(
    client, neo4j_server, clean_db, monkeypatch
):
    table = [["Nom", "Prénom", "Commune"]] + [
        [generated_name(i), FIRST[i % len(FIRST)], "Oujda"] for i in range(ROWS)
    ]
    draft = draft_of(upload(client, csv_bytes(table), "longue-liste.csv"))
    submit_mapping(client, draft)
    _, form = commit_form(client, draft)

    batches: list[int] = []
    recorded = store.set_progress

    def stop_after_the_first_batch(uid: str, done: int, total: int) -> None:
        batches.append(done)
        if done == 1:
            neo4j_server.stop()  # the commit's transaction is open, one batch written
        recorded(uid, done, total)

    monkeypatch.setattr(store, "set_progress", stop_after_the_first_batch)
    response = client.post(f"/imports/brouillon/{draft}/apercu", data=form.submission())
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    said = words(page)
    assert "L'import a échoué" in said and "Rien n'a été enregistré" in said
    assert batches == [1]
    retry = next(f for f in forms(page) if f.action.endswith("/apercu"))

    neo4j_server.start()
    connect(clean_db)
    assert count("Person") == 0 and count("Import") == 0
    assert run("MATCH ()-[r:CREATED]->() RETURN count(r) AS n")[0]["n"] == 0
    assert count("ImportDraft") == 1  # the draft is still there, ready to run again

    monkeypatch.setattr(store, "set_progress", recorded)
    response = client.post(retry.action, data=retry.submission())
    assert response.status_code == 302, words(response.get_data(as_text=True))[-2000:]
    assert count("Person") == ROWS and count("Import") == 1 and count("ImportDraft") == 0
