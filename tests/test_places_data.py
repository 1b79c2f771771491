"""The gazetteer shipped as data in ontology/places.ttl.

The event linker decides whether two place mentions may be one event by looking a name up and
following skos:broader ("talks in Istanbul" and "Turkey-mediated talks": Istanbul is in Turkey), so
the tests pin what it relies on: the file parses without blank nodes, every place has one canonical
name and a known kind, every label names exactly one place, containment is a forest in which every
city reaches a country, QIDs are well-formed and unique, and tables of lookups and containments,
including ones that must find nothing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from graph.config import ONTOLOGY_DIR
from graph.ids import slug

TKG = Namespace("https://timeline-kg.org/ns#")
PLACE = "https://timeline-kg.org/id/place/"
WIKIDATA = "http://www.wikidata.org/entity/"
QID = re.compile(r"^Q[1-9][0-9]*$")
PREDICATES = {
    RDF.type, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SKOS.broader,
    TKG.placeKind, TKG.wikidata, OWL.sameAs,
}
LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
#: The kinds a place may have, each with the kinds its skos:broader may have (empty: no broader).
PARENT_KINDS = {
    "country": set(),
    "sea": set(),
    "region": {"country", "region"},
    "city": {"country", "region"},
    "landmark": {"country", "region", "city", "sea"},
    "organisation-seat": {"country", "city"},
}
#: Labels deliberately shared by two places (folded label -> the places' slugs). Every entry is a
#: name the linker cannot resolve without context, so keep it short; today there is none.
SHARED_LABELS: dict[str, set[str]] = {}


@cache
def graph() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "places.ttl", format="turtle")


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def local(node: URIRef) -> str:
    return str(node).removeprefix(PLACE)


@cache
def places() -> dict[str, URIRef]:
    """Slug -> IRI of every tkg:Place."""
    return {local(p): p for p in graph().subjects(RDF.type, TKG.Place) if isinstance(p, URIRef)}


def kind(name: str) -> str:
    return str(graph().value(places()[name], TKG.placeKind))


def parents(name: str) -> list[str]:
    return [local(o) for o in graph().objects(places()[name], SKOS.broader)]


def ancestors(name: str) -> list[str]:
    """The chain of containing places, nearest first (stops at a repeat, so cycles terminate)."""
    chain: list[str] = []
    current = parents(name)
    while current and current[0] not in chain and current[0] != name:
        chain.append(current[0])
        current = parents(current[0]) if current[0] in places() else []
    return chain


@cache
def label_index() -> dict[str, frozenset[str]]:
    """Folded label (of any kind) -> the slugs of the places that carry it."""
    index: dict[str, set[str]] = defaultdict(set)
    for name, node in places().items():
        for predicate in LABELS:
            for label in graph().objects(node, predicate):
                index[fold(str(label))].add(name)
    return {label: frozenset(names) for label, names in index.items()}


def lookup(text: str) -> str | None:
    """The one place a name denotes, or None."""
    found = label_index().get(fold(text), frozenset())
    return next(iter(found)) if len(found) == 1 else None


def name_of(text: str) -> str:
    """The slug of the place named ``text``, failing the test if there is none."""
    found = lookup(text)
    assert found is not None, f"no place is named {text!r}"
    return found


# ------------------------------------------------------------------------------------------------
# Well-formedness
# ------------------------------------------------------------------------------------------------


def test_parses_without_blank_nodes():
    nodes = [n for triple in graph() for n in triple]
    assert not [n for n in nodes if isinstance(n, BNode)]


def test_every_subject_is_a_place_described_with_known_predicates():
    for subject in set(graph().subjects()):
        assert isinstance(subject, URIRef) and str(subject).startswith(PLACE), subject
        assert set(graph().objects(subject, RDF.type)) == {TKG.Place}, subject
    assert {p for _, p, _ in graph()} <= PREDICATES


def test_size_is_a_gazetteer_not_an_article_list():
    assert 250 <= len(places()) <= 450


def test_one_pref_label_per_place_whose_slug_is_the_iri():
    bad = {}
    for name, node in places().items():
        labels = [str(x) for x in graph().objects(node, SKOS.prefLabel)]
        if len(labels) != 1 or slug(labels[0]) != name:
            bad[name] = labels
    assert not bad


def test_labels_are_trimmed_english_literals():
    for _, predicate, label in graph():
        if predicate in LABELS:
            assert isinstance(label, Literal) and label.language == "en", label
            assert str(label) == " ".join(str(label).split()) != "", label


def test_one_known_kind_per_place():
    kinds = {name: [str(o) for o in graph().objects(node, TKG.placeKind)] for name, node in places().items()}
    assert not {name: k for name, k in kinds.items() if len(k) != 1 or k[0] not in PARENT_KINDS}


def test_no_place_repeats_a_label():
    for name, node in places().items():
        folded = [fold(str(x)) for p in LABELS for x in graph().objects(node, p)]
        assert not [x for x, n in Counter(folded).items() if n > 1], name


def test_every_label_names_one_place():
    shared = {label: set(names) for label, names in label_index().items() if len(names) > 1}
    assert shared == SHARED_LABELS


# ------------------------------------------------------------------------------------------------
# Containment
# ------------------------------------------------------------------------------------------------


def test_broader_targets_are_places_of_a_containing_kind():
    for name in places():
        found = parents(name)
        assert len(found) <= 1, (name, found)
        assert all(p in places() for p in found), (name, found)
        assert {kind(p) for p in found} <= PARENT_KINDS[kind(name)], (name, found)
        if kind(name) not in ("country", "sea"):
            assert found, f"{name} has no containing place"


def test_broader_has_no_cycles():
    for name in places():
        seen = {name}
        current = parents(name)
        while current:
            assert current[0] not in seen, f"cycle through {name}"
            seen.add(current[0])
            current = parents(current[0])


def test_cities_and_regions_reach_a_country():
    stranded = [
        name for name in places()
        if kind(name) in ("city", "region") and not any(kind(a) == "country" for a in ancestors(name))
    ]
    assert not stranded


@pytest.mark.parametrize(("place", "chain"), [
    ("Istanbul", ["turkey"]),
    ("Sudzha", ["kursk-oblast", "russia"]),
    # International recognition (UNGA resolution 68/262): Crimea is part of Ukraine.
    ("Sevastopol", ["crimea", "ukraine"]),
    ("Crimean Bridge", ["crimea", "ukraine"]),
    ("Donetsk", ["donetsk-oblast", "donbas", "ukraine"]),
    ("Sievierodonetsk", ["luhansk-oblast", "donbas", "ukraine"]),
    ("Vladivostok", ["primorsky-krai", "russia"]),
    ("Zaporizhzhia Nuclear Power Plant", ["enerhodar", "zaporizhzhia-oblast", "ukraine"]),
    ("Kremlin", ["moscow", "russia"]),
    ("Anchorage", ["alaska", "united-states"]),
    ("Kyiv", ["ukraine"]),
    ("Nord Stream", ["baltic-sea"]),
    ("Black Sea", []),
    ("Turkey", []),
])
def test_containment_chains(place, chain):
    assert ancestors(name_of(place)) == chain


@pytest.mark.parametrize(("place", "container"), [
    ("Istanbul", "Turkish"),
    ("Kursk region", "Russia"),
    ("Bucha", "Kyiv region"),
    ("Bakhmut", "Donbass"),
    ("Avdiivka", "Ukrainian"),
    ("Mariupol", "Donetsk Oblast"),
    ("Kerch", "Crimea"),
    ("Melitopol", "Zaporizhzhia region"),
    ("Jeddah", "Saudi"),
    ("Camp David", "US"),
    ("Davos", "Swiss"),
    ("Hiroshima", "Japan"),
    ("Bali", "Indonesia"),
    ("Gaza City", "Palestine"),
    ("Tiraspol", "Moldova"),
])
def test_contained_in(place, container):
    assert name_of(container) in ancestors(name_of(place))


@pytest.mark.parametrize(("place", "not_container"), [
    ("Sevastopol", "Russia"),
    ("Crimea", "Russia"),
    ("Donetsk", "Russia"),
    ("Sudzha", "Ukraine"),
    ("Kyiv", "Kyiv Oblast"),
    ("Istanbul", "Greece"),
    ("Donetsk Oblast", "Luhansk Oblast"),
    ("Minsk", "Russia"),
])
def test_not_contained_in(place, not_container):
    assert name_of(not_container) not in ancestors(name_of(place))


# ------------------------------------------------------------------------------------------------
# Names
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Kiev", "kyiv"),
    ("Odessa", "odesa"),
    ("Kharkov", "kharkiv"),
    ("Turkish", "turkey"),
    ("Türkiye", "turkey"),
    ("Kursk region", "kursk-oblast"),
    ("Donbass", "donbas"),
    ("Artemivsk", "bakhmut"),
    ("Dnipropetrovsk", "dnipro"),
    ("Dnipro region", "dnipropetrovsk-oblast"),
    ("Kerch Bridge", "crimean-bridge"),
    ("ZNPP", "zaporizhzhia-nuclear-power-plant"),
    ("Chornobyl", "chernobyl-nuclear-power-plant"),
    ("Washington, D.C.", "washington"),
    ("UK", "united-kingdom"),
    ("Britain", "united-kingdom"),
    ("Czechia", "czech-republic"),
    ("Chisinau", "chisinau"),
    ("Nur-Sultan", "astana"),
    ("  st   PETERSBURG ", "saint-petersburg"),
])
def test_name_lookups(text, expected):
    assert lookup(text) == expected


@pytest.mark.parametrize("text", [
    "Crimean",  # an adjective that does not name one place: "Crimean Tatars", "Crimean War"
    "Europe",
    "the West",
    "Donetsk People's Republic",
    "Kyiv Oblast region",
    "",
])
def test_names_that_find_nothing(text):
    assert lookup(text) is None


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_lookup_ignores_case_and_spacing(data):
    label = data.draw(st.sampled_from(sorted(label_index())))
    styled = data.draw(st.sampled_from([str.upper, str.lower, str.title, str.swapcase]))(label)
    padded = data.draw(st.text(" \t", max_size=3)) + styled.replace(" ", "  ") + data.draw(st.text(" ", max_size=2))
    assert lookup(padded) == lookup(label) is not None


# ------------------------------------------------------------------------------------------------
# Coverage
# ------------------------------------------------------------------------------------------------

G20 = ("Argentina", "Australia", "Brazil", "Canada", "China", "France", "Germany", "India", "Indonesia",
       "Italy", "Japan", "Mexico", "Russia", "Saudi Arabia", "South Africa", "South Korea", "Turkey",
       "United Kingdom", "United States")
NATO = ("Albania", "Belgium", "Bulgaria", "Canada", "Croatia", "Czech Republic", "Denmark", "Estonia",
        "Finland", "France", "Germany", "Greece", "Hungary", "Iceland", "Italy", "Latvia", "Lithuania",
        "Luxembourg", "Montenegro", "Netherlands", "North Macedonia", "Norway", "Poland", "Portugal",
        "Romania", "Slovakia", "Slovenia", "Spain", "Sweden", "Turkey", "United Kingdom", "United States")
EU = ("Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czech Republic", "Denmark", "Estonia",
      "Finland", "France", "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia", "Lithuania",
      "Luxembourg", "Malta", "Netherlands", "Poland", "Portugal", "Romania", "Slovakia", "Slovenia",
      "Spain", "Sweden")
OTHERS = ("Ukraine", "Belarus", "Moldova", "Georgia", "Armenia", "Azerbaijan", "Serbia", "Switzerland",
          "Israel", "Iran", "Iraq", "Syria", "Qatar", "United Arab Emirates", "Egypt", "Kazakhstan",
          "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "North Korea", "Nigeria", "Ethiopia")


@pytest.mark.parametrize("country", sorted(set(G20 + NATO + EU + OTHERS)))
def test_member_states_are_countries(country):
    assert kind(name_of(country)) == "country"


@pytest.mark.parametrize(("capital", "country"), [
    ("Kyiv", "Ukraine"), ("Moscow", "Russia"), ("Minsk", "Belarus"), ("Chișinău", "Moldova"),
    ("Warsaw", "Poland"), ("Vilnius", "Lithuania"), ("Riga", "Latvia"), ("Tallinn", "Estonia"),
    ("Helsinki", "Finland"), ("Berlin", "Germany"), ("Paris", "France"), ("London", "United Kingdom"),
    ("Ankara", "Turkey"), ("Tbilisi", "Georgia"), ("Astana", "Kazakhstan"), ("Beijing", "China"),
    ("Tehran", "Iran"), ("Riyadh", "Saudi Arabia"), ("Doha", "Qatar"), ("Abu Dhabi", "United Arab Emirates"),
    ("Pyongyang", "North Korea"), ("New Delhi", "India"), ("Pretoria", "South Africa"),
    ("Brasília", "Brazil"), ("Washington", "United States"), ("Ottawa", "Canada"), ("Canberra", "Australia"),
])
def test_capitals_are_cities_of_their_country(capital, country):
    assert kind(name_of(capital)) == "city"
    assert name_of(country) in ancestors(name_of(capital))


def test_all_oblasts_of_ukraine():
    oblasts = [n for n in places() if n.endswith("-oblast") and "ukraine" in ancestors(n)]
    assert len(oblasts) == 24


# ------------------------------------------------------------------------------------------------
# Wikidata
# ------------------------------------------------------------------------------------------------


def test_qids_are_well_formed_unique_and_mirrored_by_same_as():
    qids: list[str] = []
    for name, node in places().items():
        found = [str(o) for o in graph().objects(node, TKG.wikidata)]
        same = {str(o) for o in graph().objects(node, OWL.sameAs)}
        assert len(found) <= 1, (name, found)
        assert same == {WIKIDATA + q for q in found}, (name, same)
        assert all(QID.match(q) for q in found), (name, found)
        qids += found
    assert not [q for q, n in Counter(qids).items() if n > 1]


@pytest.mark.parametrize(("place", "qid"), [
    ("Ukraine", "Q212"), ("Russia", "Q159"), ("Turkey", "Q43"), ("Kyiv", "Q1899"),
    ("Istanbul", "Q406"), ("Kursk Oblast", "Q3178"), ("Crimea", "Q7835"), ("Black Sea", "Q166"),
])
def test_known_qids(place, qid):
    assert str(graph().value(places()[name_of(place)], TKG.wikidata)) == qid
