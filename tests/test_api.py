"""The REST API's read routes on a store built from the seeds: content, filters, pages, explain."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient

from graph.analysis import timeline
from graph.config import SEEDS_DIR
from graph.export import graph_json
from graph.statement_search import statement_rows
from graph.store import open_store
from graph.vocab import id_of


@pytest.fixture(scope="module")
def store_path(seeds_copy):
    return seeds_copy()


@pytest.fixture(scope="module")
def expected(store_path):
    """What the library says about the store, read before the app opens it."""
    with open_store(store_path) as store:
        return {
            "document": graph_json(store),
            "putin_negotiations": [s["id"] for s in timeline(
                statement_rows(store, speaker="Putin", topic="negotiations"))],
            "october": [s["id"] for s in statement_rows(
                store, since=date(2022, 10, 1), until=date(2022, 10, 31))],
        }


@pytest.fixture(scope="module")
def client(store_path, expected):
    from api.app import create_app

    with TestClient(create_app(store_path)) as test_client:
        yield test_client


def test_health(client):
    assert client.get("/health").json() == {"status": "ok"}


def test_articles_list_and_one(client, expected):
    body = client.get("/articles").json()
    ids = [a["id"] for a in body["items"]]
    assert ids == sorted(a["id"] for a in expected["document"]["articles"])
    assert body["total"] == len(ids) == 5
    one = client.get(f"/articles/{ids[1]}").json()
    manifest = json.loads((SEEDS_DIR / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest if e["id"] == ids[1])
    assert one["text"] == (SEEDS_DIR / entry["file"]).read_text(encoding="utf-8")
    assert one["published"] == entry["published"]
    cited = {s["id"] for s in expected["document"]["statements"] if ids[1] in s["cited_by"]}
    assert {s["id"] for s in one["statements"]} == cited


def test_statements_page_and_next_link(client, expected):
    everything = [s["id"] for s in expected["document"]["statements"]]
    first = client.get("/statements", params={"limit": 10}).json()
    assert first["total"] == len(everything)
    assert [s["id"] for s in first["items"]] == everything[:10]
    collected = []
    url = "/statements?limit=10"
    while url:
        page = client.get(url).json()
        collected += [s["id"] for s in page["items"]]
        url = page["next"]
    assert collected == everything


@pytest.mark.parametrize(("params", "check"), [
    ({"speaker": "PUTIN"}, lambda s: s["speaker"]["name"] == "Vladimir Putin"),
    ({"speaker": "actor/vladimir-putin"}, lambda s: s["speaker"]["id"] == "actor/vladimir-putin"),
    ({"topic": "mobilisation"}, lambda s: s["topics"] and True),
    ({"since": "2022-10-01"}, lambda s: s["date"]["end"] >= "2022-10-01"),
    ({"until": "2022-09-30"}, lambda s: s["date"]["begin"] <= "2022-09-30"),
])
def test_statement_filters_keep_only_matching(client, params, check):
    items = client.get("/statements", params=params).json()["items"]
    assert items
    assert all(check(s) for s in items)


def test_statement_filters_by_article_and_event(client, expected):
    statements = expected["document"]["statements"]
    article = statements[0]["cited_by"][0]
    by_article = client.get("/statements", params={"article": article}).json()["items"]
    assert {s["id"] for s in by_article} == {s["id"] for s in statements if article in s["cited_by"]}
    event = next(s["about"][0] for s in statements if s["about"])
    by_event = client.get("/statements", params={"event": event}).json()["items"]
    assert {s["id"] for s in by_event} == {s["id"] for s in statements if event in s["about"]}


@pytest.mark.parametrize("params", [{"speaker": "Nobody Atall"}, {"topic": "zzzqqq"},
                                    {"since": "2030-01-01"}])
def test_statement_filters_matching_nothing(client, params):
    body = client.get("/statements", params=params).json()
    assert body["total"] == 0 and body["items"] == [] and body["next"] is None


def test_since_until_window_matches_the_library(client, expected):
    body = client.get("/statements", params={"since": "2022-10-01", "until": "2022-10-31"}).json()
    assert [s["id"] for s in body["items"]] == expected["october"]


def test_statement_detail_has_context_citations_and_relations(client, expected):
    document = expected["document"]
    related = {r["source"] for r in document["relations"]} | {r["target"] for r in document["relations"]}
    statement = next(s for s in document["statements"] if s["id"] in related)
    key = statement["id"].removeprefix("statement/")
    body = client.get(f"/statements/{key}").json()
    assert body["quote"] == statement["quote"]
    assert body["date"]["precision"] == statement["date"]["precision"]
    assert {a["id"] for a in body["cited_by"]} == set(statement["cited_by"])
    article = client.get(f"/articles/{body['evidence'][0]['article']}").json()["text"]
    for evidence in body["evidence"]:
        if evidence["article"] == body["evidence"][0]["article"]:
            start, end = evidence["start"], evidence["end"]
            assert article[start:end] == evidence["text"]
            assert evidence["before"] == article[max(0, start - 200):start]
            assert evidence["after"] == article[end:end + 200]
    mine = {(r["type"], r["source"], r["target"]) for r in body["relations"]}
    assert mine == {(r["type"], r["source"], r["target"]) for r in document["relations"]
                    if statement["id"] in (r["source"], r["target"])}
    assert all(r["explanation"] for r in body["relations"])
    assert client.get(f"/statements/{statement['id']}").json()["id"] == statement["id"]


def test_timeline_is_the_library_timeline(client, expected):
    body = client.get("/timeline", params={"speaker": "Putin", "topic": "negotiations",
                                           "stance": "true"}).json()
    assert [s["id"] for s in body["items"]] == expected["putin_negotiations"]
    assert body["items"]
    assert sum(m["for"] + m["against"] + m["neither"] for m in body["stance"]) == body["total"]


@pytest.mark.parametrize("params", [{"speaker": "Putin"}, {"topic": "kursk offensive"},
                                    {"since": "2022-10-01", "until": "2022-10-31"}])
def test_timeline_serves_the_export_items_in_time_order(client, expected, params):
    document = {s["id"]: s for s in expected["document"]["statements"]}
    body = client.get("/timeline", params={**params, "explain": "true"}).json()
    assert body["total"] == len(body["items"]) > 0
    assert body["items"] == timeline([document[s["id"]] for s in body["items"]])
    rows = client.app.state.store.get().select(body["sparql"])
    assert sorted(id_of(r["statement"]) for r in rows) == sorted(s["id"] for s in body["items"])


def test_statement_detail_names_the_events_it_is_about(client, expected):
    document = expected["document"]
    labels = {e["id"]: e["label"] for e in document["events"]}
    about = [s for s in document["statements"] if s["about"]]
    assert about
    for statement in about:
        body = client.get(f"/statements/{statement['id'].removeprefix('statement/')}").json()
        assert body["about"] == [{"id": e, "label": labels[e]} for e in statement["about"]]


def test_event_detail_is_the_export_item_with_its_statements(client, expected):
    document = expected["document"]
    for event in document["events"]:
        body = client.get(f"/events/{event['id'].removeprefix('event/')}").json()
        assert {k: v for k, v in body.items() if k != "statements"} == event
        assert {s["id"] for s in body["statements"]} == {
            s["id"] for s in document["statements"] if event["id"] in s["about"]}


def test_timeline_of_nobody_is_empty(client):
    assert client.get("/timeline", params={"speaker": "Nobody Atall"}).json() == {"total": 0, "items": []}


def test_events_actors_topics_relations(client, expected):
    document = expected["document"]
    events = client.get("/events", params={"limit": 1000}).json()
    assert [e["id"] for e in events["items"]] == [e["id"] for e in document["events"]]
    event = document["events"][0]
    detail = client.get(f"/events/{event['id'].removeprefix('event/')}").json()
    assert detail["mentions"] == event["mentions"]
    typed = client.get("/events", params={"type": event["type"]}).json()["items"]
    assert typed and all(e["type"] == event["type"] for e in typed)
    actors = client.get("/actors").json()["items"]
    speakers = {s["speaker"]["id"] for s in document["statements"]}
    assert {a["id"] for a in actors} == speakers
    putin = next(a for a in actors if a["id"] == "actor/vladimir-putin")
    assert putin["statements"] == sum(s["speaker"]["id"] == putin["id"] for s in document["statements"])
    topics = {t["id"]: t["statements"] for t in client.get("/topics").json()["items"]}
    assert topics["negotiations"] == sum("negotiations" in s["topics"] for s in document["statements"])
    contradicts = client.get("/relations", params={"type": "contradicts"}).json()["items"]
    assert contradicts == [r for r in document["relations"] if r["type"] == "contradicts"]


@pytest.mark.parametrize(("fmt", "media_type", "marker"), [
    ("json", "application/json", b'"statements"'),
    ("turtle", "text/turtle", b"@prefix"),
    ("ntriples", "application/n-triples", b"<https://timeline-kg.org/"),
    ("nquads", "application/n-quads", b"<https://timeline-kg.org/id/graph/links>"),
    ("trig", "application/trig", b"<https://timeline-kg.org/id/graph/links> {"),
    ("jsonld", "application/ld+json", b"@id"),
    ("rdfxml", "application/rdf+xml", b"<rdf:RDF"),
    ("graphml", "application/graphml+xml", b"<graphml"),
])
def test_export_every_format(client, fmt, media_type, marker):
    response = client.get("/export", params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert marker in response.content


@pytest.mark.parametrize(("url", "key"), [
    ("/statements?speaker=Putin&topic=negotiations&explain=true", "statement"),
    ("/statements?since=2022-10-01&until=2022-10-31&explain=true", "statement"),
    ("/events?type=annexation&explain=true", "event"),
    ("/relations?type=contradicts&explain=true", "source"),
    ("/articles?explain=true", "id"),
])
def test_explain_gives_the_sparql_that_ran(client, store_path, url, key):
    body = client.get(url).json()
    sparql = body["sparql"]
    assert sparql.lstrip().startswith("#") and "SELECT" in sparql
    store = client.app.state.store.get()
    rows = store.select(sparql)
    values = [id_of(r[key]) if r[key].startswith("https://") else r[key] for r in rows]
    shown = [item["id"] if key in ("statement", "event", "id") else item["source"]
             for item in body["items"]]
    assert values == shown


def test_no_explain_no_sparql(client):
    assert "sparql" not in client.get("/statements").json()


def test_named_queries_listed_and_served(client):
    listed = {q["name"]: q for q in client.get("/queries").json()["items"]}
    assert {"statements", "events", "relations", "articles"} <= set(listed)
    assert {p["name"] for p in listed["statements"]["params"]} >= {"speaker", "topic", "since"}
    text = client.get("/queries/statements")
    assert text.headers["content-type"].startswith("application/sparql-query")
    assert "PREFIX tkg:" in text.text


def test_docs_are_served_locally(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "http://" not in page.text and "https://" not in page.text
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert "/statements" in client.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize(
    ("bindings", "expected_topic"),
    [
        ({"topic": "negotiations"}, "negotiations"),
        ({"topicIri": "negotiations"}, "negotiations"),
        ({"topic": "zzzz nothing"}, None),
        ({"topicIri": "zzzz-nothing"}, None),
    ],
)
def test_named_statements_query_filters_by_a_topic_given_alone(store_path, expected, bindings, expected_topic):
    """Either topic parameter alone filters (a name matching no topic matches nothing)."""
    from api import queries
    from graph.store import open_reader
    from graph.vocab import iri

    if "topicIri" in bindings:
        bindings = {"topicIri": iri(f"topic/{bindings['topicIri']}")}
    with open_reader(store_path) as store:
        rows, _ = queries.run(store, "statements", **bindings)
    found = {id_of(str(r["statement"])) for r in rows}
    wanted = {s["id"] for s in expected["document"]["statements"] if expected_topic in s["topics"]}
    assert found == wanted
