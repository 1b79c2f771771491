"""The knowledge shipped as data in ontology/: actors with dated roles, topics, event types, lexicon.

The readers resolve names, role phrases, topics, event triggers and reporting cues from these
files, so the tests pin the conventions they rely on: everything parses, no blank nodes, one
canonical name per actor, unambiguous labels, well-formed non-overlapping tenures, well-formed
unique QIDs, and tables of lookups, including ones that must find nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import cache
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, SKOS

from graph.config import ONTOLOGY_DIR
from graph.ids import slug

TKG = Namespace("https://timeline-kg.org/ns#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
ID = "https://timeline-kg.org/id/"
TOPIC_SCHEME = URIRef(ID + "topic/scheme")
EVENT_SCHEME = URIRef(ID + "event-type/scheme")
VERBS = URIRef(ID + "lexicon/reporting-verbs")
DENIAL = URIRef(ID + "lexicon/denial-verbs")
SOURCE_PHRASES = URIRef(ID + "lexicon/source-phrases")
UNNAMED = URIRef(ID + "lexicon/unnamed-sources")
SPEECH_ACTS = {URIRef(f"{ID}lexicon/speech-act/{a}")
               for a in ("assertive", "directive", "commissive", "expressive")}

FILES = ("actors.ttl", "topics.ttl", "event-types.ttl", "lexicon.ttl")
#: Where each file's subjects live.
SUBJECT_PREFIXES = {
    "actors.ttl": ("actor/", "role/", "tenure/"),
    "topics.ttl": ("topic/",),
    "event-types.ttl": ("event-type/",),
    "lexicon.ttl": ("lexicon/",),
}
#: The only tkg: terms the data may use (the rest of the vocabulary is for extracted data).
TKG_TERMS = {TKG[t] for t in (
    "Person", "Organisation", "Group", "Role", "RoleTenure", "Topic", "EventType", "wikidata",
    "holder", "role", "validFrom", "validUntil", "gender", "cameoCode", "description",
)}
ACTOR_CLASSES = (TKG.Person, TKG.Organisation, TKG.Group)
ALL_LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
NAMES = (SKOS.prefLabel, SKOS.altLabel)
TRIGGERS = (SKOS.hiddenLabel,)
#: Names deliberately shared by two actors (folded label -> the actors' slugs). Every entry is a
#: name the reader cannot resolve without context, so keep it short; today there is none.
SHARED_NAMES: dict[str, set[str]] = {}


@cache
def load(name: str) -> Graph:
    return Graph().parse(ONTOLOGY_DIR / name, format="turtle")


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def pref(g: Graph, node: URIRef) -> str:
    return str(g.value(node, SKOS.prefLabel))


def local(node: URIRef) -> str:
    return str(node).rsplit("/", 1)[1]


def actors(g: Graph) -> set[URIRef]:
    return {s for cls in ACTOR_CLASSES for s in g.subjects(RDF.type, cls)}


def labels(g: Graph, node: URIRef, predicates: tuple[URIRef, ...] = ALL_LABELS) -> list[str]:
    return [str(o) for p in predicates for o in g.objects(node, p)]


def find(g: Graph, text: str, nodes: Iterable[URIRef], predicates: tuple[URIRef, ...]) -> set[URIRef]:
    """The nodes one of whose ``predicates`` labels is ``text``, compared case-insensitively."""
    return {n for n in nodes if fold(text) in {fold(x) for x in labels(g, n, predicates)}}


def in_scheme(g: Graph, scheme: URIRef) -> set[URIRef]:
    return set(g.subjects(SKOS.inScheme, scheme))


def holders_on(g: Graph, phrase: str, day: date) -> list[str]:
    """Who held the role named ``phrase`` on ``day``, each tenure read as [validFrom, validUntil)."""
    roles = find(g, phrase, g.subjects(RDF.type, TKG.Role), NAMES)
    found = []
    for tenure in g.subjects(RDF.type, TKG.RoleTenure):
        if g.value(tenure, TKG.role) not in roles:
            continue
        start, until = g.value(tenure, TKG.validFrom), g.value(tenure, TKG.validUntil)
        if start.toPython() <= day and (until is None or day < until.toPython()):
            found.append(pref(g, g.value(tenure, TKG.holder)))
    return found


# ------------------------------------------------------------------------------------ every file


@pytest.mark.parametrize("name", FILES)
def test_file_parses_with_rdflib(name: str) -> None:
    assert len(load(name)) > 500


@pytest.mark.parametrize("name", FILES)
def test_no_blank_nodes(name: str) -> None:
    assert [t for t in load(name) if any(isinstance(term, BNode) for term in t)] == []


@pytest.mark.parametrize("name", FILES)
def test_subjects_are_project_iris_of_the_file(name: str) -> None:
    allowed = tuple(ID + p for p in SUBJECT_PREFIXES[name])
    assert {str(s) for s in load(name).subjects() if not str(s).startswith(allowed)} == set()


@pytest.mark.parametrize("name", FILES)
def test_only_agreed_tkg_terms(name: str) -> None:
    used = {x for t in load(name) for x in t if isinstance(x, URIRef) and x.startswith(str(TKG))}
    assert used - TKG_TERMS == set()


@pytest.mark.parametrize("name", FILES)
def test_labels_and_definitions_are_english(name: str) -> None:
    g = load(name)
    untagged = [str(o) for p in (*ALL_LABELS, SKOS.definition) for o in g.objects(None, p)
                if not (isinstance(o, Literal) and o.language == "en")]
    assert untagged == []


@pytest.mark.parametrize("name", FILES)
def test_round_trip_through_ntriples_is_isomorphic(name: str) -> None:
    g = load(name)
    assert isomorphic(g, Graph().parse(data=g.serialize(format="nt"), format="nt"))


# ------------------------------------------------------------------------------------ actors


def test_every_actor_has_one_canonical_name_matching_its_iri() -> None:
    g = load("actors.ttl")
    for actor in actors(g):
        names = list(g.objects(actor, SKOS.prefLabel))
        assert len(names) == 1, actor
        assert str(actor) == f"{ID}actor/{slug(str(names[0]))}"


def test_actor_kinds_are_exclusive_and_gender_only_for_people() -> None:
    g = load("actors.ttl")
    for actor in actors(g):
        assert sum((actor, RDF.type, cls) in g for cls in ACTOR_CLASSES) == 1, actor
        genders = [str(x) for x in g.objects(actor, TKG.gender)]
        if (actor, RDF.type, TKG.Person) in g:
            assert len(genders) == 1 and genders[0] in {"male", "female"}, actor
        else:
            assert genders == [], actor


def test_no_actor_repeats_a_name() -> None:
    g = load("actors.ttl")
    for actor in actors(g):
        folded = [fold(x) for x in labels(g, actor)]
        assert len(folded) == len(set(folded)), actor


def test_no_two_actors_share_a_name_unless_listed() -> None:
    g = load("actors.ttl")
    owners: dict[str, set[str]] = defaultdict(set)
    for actor in actors(g):
        for label in labels(g, actor):
            owners[fold(label)].add(local(actor))
    assert {label: who for label, who in owners.items() if len(who) > 1} == SHARED_NAMES


def test_no_phrase_names_both_an_actor_and_a_role() -> None:
    g = load("actors.ttl")
    actor_names = {fold(x) for a in actors(g) for x in labels(g, a)}
    role_names = {fold(x) for r in g.subjects(RDF.type, TKG.Role) for x in labels(g, r)}
    assert actor_names & role_names == set()


def test_qids_are_well_formed_unique_and_match_same_as() -> None:
    g = load("actors.ttl")
    qids = [(s, str(q)) for s, q in g.subject_objects(TKG.wikidata)]
    assert len(qids) >= 20
    assert all(re.fullmatch(r"Q[1-9][0-9]*", q) for _, q in qids)
    assert len({q for _, q in qids}) == len(qids)
    for actor, qid in qids:
        entity = URIRef(f"http://www.wikidata.org/entity/{qid}")
        assert set(g.objects(actor, OWL.sameAs)) == {entity}
    assert {s for s, _ in g.subject_objects(OWL.sameAs)} == {s for s, _ in qids}


@pytest.mark.parametrize(("name", "qid"), [
    ("Vladimir Putin", "Q7747"), ("Volodymyr Zelensky", "Q3881980"), ("Joe Biden", "Q6279"),
    ("Donald Trump", "Q22686"), ("NATO", "Q7184"),
])
def test_known_qids(name: str, qid: str) -> None:
    g = load("actors.ttl")
    (actor,) = find(g, name, actors(g), (SKOS.prefLabel,))
    assert str(g.value(actor, TKG.wikidata)) == qid


@pytest.mark.parametrize(("mention", "canonical"), [
    ("Zelenskyy", "Volodymyr Zelensky"),
    ("Zelenskiy", "Volodymyr Zelensky"),
    ("Vladimir Zelensky", "Volodymyr Zelensky"),
    ("Putin", "Vladimir Putin"),
    ("Russian Defense Ministry", "Russian Ministry of Defence"),
    ("Moscow's defence ministry", "Russian Ministry of Defence"),
    ("Russian Foreign Ministry", "Russian Ministry of Foreign Affairs"),
    ("British Defence Ministry", "UK Ministry of Defence"),
    ("Pentagon", "US Department of Defense"),
    ("Kiev government", "Ukrainian government"),
    ("government in Kyiv", "Ukrainian government"),
    ("Ukrainian General Staff", "General Staff of the Armed Forces of Ukraine"),
    ("Lukashenka", "Alexander Lukashenko"),
    ("Erdoğan", "Recep Tayyip Erdogan"),
    ("Kirill", "Patriarch Kirill"),
    ("UN nuclear watchdog", "International Atomic Energy Agency"),
    ("Mr Putin", None),  # titles are stripped by code, not listed as names
    ("Johnson", None),  # Boris or Mike: an ambiguous surname is not a name
    ("Moscow", None),  # a metonym is a hidden label, not a display name
    ("Kyiv", None),
])
def test_names_resolve_to_one_canonical_actor(mention: str, canonical: str | None) -> None:
    g = load("actors.ttl")
    assert {pref(g, a) for a in find(g, mention, actors(g), NAMES)} == (
        {canonical} if canonical else set())


@pytest.mark.parametrize(("metonym", "canonical"), [
    ("Moscow", "Russian government"), ("Kyiv", "Ukrainian government"),
    ("Kiev", "Ukrainian government"), ("Washington", "US government"),
])
def test_capital_metonyms_are_hidden_labels_of_governments(metonym: str, canonical: str) -> None:
    g = load("actors.ttl")
    assert {pref(g, a) for a in find(g, metonym, actors(g), TRIGGERS)} == {canonical}


def test_tenures_are_well_formed() -> None:
    g = load("actors.ttl")
    tenures = set(g.subjects(RDF.type, TKG.RoleTenure))
    assert len(tenures) >= 100
    for t in tenures:
        (holder,) = g.objects(t, TKG.holder)
        (role,) = g.objects(t, TKG.role)
        (start,) = g.objects(t, TKG.validFrom)
        until = list(g.objects(t, TKG.validUntil))
        assert holder in actors(g) and (role, RDF.type, TKG.Role) in g, t
        assert start.datatype == XSD_DATE and all(u.datatype == XSD_DATE for u in until), t
        assert len(until) <= 1 and all(start.toPython() < u.toPython() for u in until), t


def test_tenures_of_one_role_never_overlap() -> None:
    g = load("actors.ttl")
    by_role: dict[URIRef, list[tuple[date, date]]] = defaultdict(list)
    for t in g.subjects(RDF.type, TKG.RoleTenure):
        until = g.value(t, TKG.validUntil)
        by_role[g.value(t, TKG.role)].append(
            (g.value(t, TKG.validFrom).toPython(), until.toPython() if until else date.max))
    for role, spans in by_role.items():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in pairwise(spans)), role


def test_role_phrases_name_one_role_each() -> None:
    g = load("actors.ttl")
    seen: dict[str, URIRef] = {}
    for role in g.subjects(RDF.type, TKG.Role):
        assert len(list(g.objects(role, SKOS.prefLabel))) == 1, role
        for label in map(fold, labels(g, role)):
            assert seen.setdefault(label, role) == role, label


@pytest.mark.parametrize(("phrase", "day", "holder"), [
    ("US president", date(2022, 6, 1), "Joe Biden"),
    ("US president", date(2025, 3, 1), "Donald Trump"),
    ("US president", date(2017, 1, 19), "Barack Obama"),
    ("US president", date(2017, 1, 20), "Donald Trump"),  # the handover day is the successor's
    ("American president", date(2019, 5, 1), "Donald Trump"),
    ("UK prime minister", date(2022, 10, 1), "Liz Truss"),
    ("British prime minister", date(2023, 1, 1), "Rishi Sunak"),
    ("Russian president", date(2010, 1, 1), "Dmitry Medvedev"),
    ("Kremlin chief", date(2022, 10, 14), "Vladimir Putin"),
    ("kremlin owner", date(2024, 9, 5), "Vladimir Putin"),
    ("Russia's top diplomat", date(2023, 1, 1), "Sergey Lavrov"),
    ("Russian defence minister", date(2023, 6, 1), "Sergei Shoigu"),
    ("Russian defense minister", date(2024, 6, 1), "Andrei Belousov"),
    ("Kremlin spokesman", date(2022, 3, 1), "Dmitry Peskov"),
    ("foreign ministry spokeswoman", date(2022, 3, 1), "Maria Zakharova"),
    ("Ukrainian president", date(2016, 1, 1), "Petro Poroshenko"),
    ("Ukraine's commander-in-chief", date(2023, 1, 1), "Valerii Zaluzhnyi"),
    ("Ukraine's commander-in-chief", date(2024, 6, 1), "Oleksandr Syrskyi"),
    ("Ukrainian foreign minister", date(2024, 10, 1), "Andrii Sybiha"),
    ("NATO secretary general", date(2024, 9, 30), "Jens Stoltenberg"),
    ("NATO chief", date(2024, 10, 1), "Mark Rutte"),
    ("Pentagon chief", date(2025, 3, 1), "Pete Hegseth"),
    ("German chancellor", date(2022, 2, 27), "Olaf Scholz"),
    ("Chinese foreign minister", date(2023, 3, 1), "Qin Gang"),
    ("Chinese foreign minister", date(2024, 3, 1), "Wang Yi"),
    ("UN chief", date(2022, 4, 28), "Antonio Guterres"),
    ("Russian president", date(1985, 1, 1), None),  # the office did not exist
    ("pope", date(2025, 4, 30), None),  # between Francis's death and Leo XIV's election
    ("Israeli prime minister", date(2022, 9, 1), None),  # Lapid's term: not in the data
    ("Chinese foreign ministry spokesperson", date(2023, 1, 1), None),  # several at once
    ("Grand Vizier", date(2022, 1, 1), None),  # no such role
])
def test_role_phrase_resolves_by_date(phrase: str, day: date, holder: str | None) -> None:
    assert holders_on(load("actors.ttl"), phrase, day) == ([holder] if holder else [])


@settings(max_examples=150, deadline=None)
@given(data=st.data(), day=st.dates(min_value=date(1985, 1, 1), max_value=date(2030, 12, 31)))
def test_any_role_phrase_on_any_day_has_at_most_one_holder(data: st.DataObject, day: date) -> None:
    g = load("actors.ttl")
    phrases = sorted({x for r in g.subjects(RDF.type, TKG.Role) for x in labels(g, r)})
    assert len(holders_on(g, data.draw(st.sampled_from(phrases)), day)) <= 1


# ------------------------------------------------------------------------------------ topics


def test_topics_are_defined_labelled_concepts_of_the_scheme() -> None:
    g = load("topics.ttl")
    topics = set(g.subjects(RDF.type, TKG.Topic))
    assert len(topics) >= 20 and topics == in_scheme(g, TOPIC_SCHEME)
    for topic in topics:
        assert (topic, RDF.type, SKOS.Concept) in g
        (name,) = g.objects(topic, SKOS.prefLabel)
        assert local(topic) == str(name).replace(" ", "-")
        assert g.value(topic, SKOS.definition) is not None, topic
        assert labels(g, topic, (SKOS.altLabel, SKOS.hiddenLabel)), topic


def test_every_topic_is_a_top_concept_or_narrower_than_one() -> None:
    g = load("topics.ttl")
    tops = set(g.objects(TOPIC_SCHEME, SKOS.hasTopConcept))
    for topic in g.subjects(RDF.type, TKG.Topic):
        broader = set(g.objects(topic, SKOS.broader))
        assert (topic in tops) != bool(broader), topic
        assert broader <= tops, topic


@pytest.mark.parametrize("name", ["topics.ttl", "event-types.ttl"])
def test_triggers_are_lowercase_and_point_to_one_concept(name: str) -> None:
    g = load(name)
    owner: dict[str, URIRef] = {}
    for concept, trigger in g.subject_objects(SKOS.hiddenLabel):
        text = str(trigger)
        assert text == text.lower().strip() and "  " not in text, text
        assert owner.setdefault(text, concept) == concept, text


@pytest.mark.parametrize(("lemmas", "topic"), [
    ("peace talk", "negotiations"), ("initial", "negotiations"), ("mediator", "negotiations"),
    ("truce", "ceasefire"), ("mobilise", "mobilisation"), ("reservist", "mobilisation"),
    ("price cap", "sanctions"), ("drone strike", "strikes"), ("eastern flank", "nato"),
    ("dirty bomb", "nuclear"), ("annex", "territory"), ("referendum", "territory"),
    ("counteroffensive", "war-conduct"), ("denazification", "war-aims"),
    ("himars", "weapons-supplies"), ("humanitarian corridor", "humanitarian"),
    ("nord stream", "energy"), ("grain corridor", "food"), ("death toll", "casualties"),
    ("ballot", "elections"), ("prisoner swap", "prisoners"), ("inflation", "economy"),
    ("sabotage", "terrorism"), ("guarantor", "security-guarantees"), ("arrest warrant", "justice"),
    ("ddos", "cyber"), ("disinformation", "information"),
    ("weather", None), ("football", None), ("recipe", None),
])
def test_topic_triggers(lemmas: str, topic: str | None) -> None:
    g = load("topics.ttl")
    found = {local(t) for t in find(g, lemmas, in_scheme(g, TOPIC_SCHEME), TRIGGERS)}
    assert found == ({topic} if topic else set())


# ------------------------------------------------------------------------------------ event types


def test_event_types_are_typed_defined_and_mapped_to_cameo() -> None:
    g = load("event-types.ttl")
    types = set(g.subjects(RDF.type, TKG.EventType))
    assert len(types) >= 25 and types == in_scheme(g, EVENT_SCHEME)
    assert types == set(g.objects(EVENT_SCHEME, SKOS.hasTopConcept))
    for t in types:
        assert (t, RDF.type, SEM.EventType) in g and (t, RDF.type, SKOS.Concept) in g, t
        assert len(list(g.objects(t, SKOS.prefLabel))) == 1, t
        assert g.value(t, SKOS.definition) is not None, t
        assert labels(g, t, (SKOS.altLabel, SKOS.hiddenLabel)), t
        (code,) = g.objects(t, TKG.cameoCode)
        assert re.fullmatch(r"[0-9]{2,4}", str(code)), t


@pytest.mark.parametrize(("event_type", "code"), [
    ("military-attack", "190"), ("air-strike", "195"), ("shelling", "194"), ("explosion", "183"),
    ("negotiation", "046"), ("phone-call", "041"), ("visit", "042"), ("agreement-signing", "057"),
    ("sanctions", "163"), ("ceasefire", "0871"), ("withdrawal", "0874"), ("mobilisation", "154"),
])
def test_cameo_codes(event_type: str, code: str) -> None:
    g = load("event-types.ttl")
    assert str(g.value(URIRef(f"{ID}event-type/{event_type}"), TKG.cameoCode)) == code


@pytest.mark.parametrize(("trigger", "event_type"), [
    ("explosion", "explosion"), ("blast", "explosion"), ("explode", "explosion"),
    ("strike", "air-strike"), ("missile attack", "air-strike"), ("talk", "negotiation"),
    ("negotiation", "negotiation"), ("decree", "decree"), ("sign decree", "decree"),
    ("mobilise", "mobilisation"), ("mobilize", "mobilisation"), ("withdraw", "withdrawal"),
    ("pull back", "withdrawal"), ("referendum", "referendum"), ("annex", "annexation"),
    ("incursion", "offensive"), ("offensive", "offensive"), ("summit", "summit"),
    ("press conference", "press-conference"), ("news conference", "press-conference"),
    ("forum", "forum"), ("plenary session", "forum"), ("prisoner swap", "prisoner-exchange"),
    ("build-up", "military-build-up"),
    ("breakfast", None), ("weather", None), ("say", None),
])
def test_event_triggers(trigger: str, event_type: str | None) -> None:
    g = load("event-types.ttl")
    found = {local(t) for t in find(g, trigger, in_scheme(g, EVENT_SCHEME), TRIGGERS)}
    assert found == ({event_type} if event_type else set())


# ------------------------------------------------------------------------------------ lexicon


def speech_act_of(g: Graph, lemma: str) -> str | None:
    found = find(g, lemma, in_scheme(g, VERBS) - SPEECH_ACTS, NAMES)
    assert len(found) <= 1, lemma
    return pref(g, g.value(found.pop(), SKOS.broader)) if found else None


def test_reporting_verbs_each_belong_to_one_speech_act_class() -> None:
    g = load("lexicon.ttl")
    assert set(g.objects(VERBS, SKOS.hasTopConcept)) == SPEECH_ACTS
    verbs = in_scheme(g, VERBS) - SPEECH_ACTS
    assert len(verbs) >= 60
    for verb in verbs:
        assert len(list(g.objects(verb, SKOS.prefLabel))) == 1, verb
        assert g.value(verb, SKOS.definition) is not None, verb
        (group,) = g.objects(verb, SKOS.broader)
        assert group in SPEECH_ACTS, verb


@pytest.mark.parametrize(("lemma", "speech_act"), [
    ("say", "assertive"), ("tell", "assertive"), ("claim", "assertive"), ("deny", "assertive"),
    ("emphasise", "assertive"), ("emphasize", "assertive"), ("urge", "directive"),
    ("call for", "directive"), ("warn", "directive"), ("vow", "commissive"),
    ("threaten", "commissive"), ("promise", "commissive"), ("criticise", "expressive"),
    ("criticize", "expressive"), ("accuse", "expressive"),
    ("eat", None), ("run", None), ("Putin", None),
])
def test_speech_act_classes(lemma: str, speech_act: str | None) -> None:
    assert speech_act_of(load("lexicon.ttl"), lemma) == speech_act


def test_denial_verbs_are_a_collection_of_reporting_verbs() -> None:
    g = load("lexicon.ttl")
    assert (DENIAL, RDF.type, SKOS.Collection) in g
    members = set(g.objects(DENIAL, SKOS.member))
    assert members <= in_scheme(g, VERBS)
    names = {pref(g, m) for m in members}
    assert {"deny", "reject", "dismiss", "refute"} <= names
    assert not {"say", "confirm", "acknowledge"} & names


@pytest.mark.parametrize(("scheme", "phrase", "listed"), [
    (SOURCE_PHRASES, "according to", True), (SOURCE_PHRASES, "in the words of", True),
    (SOURCE_PHRASES, "as quoted by", True), (SOURCE_PHRASES, "citing", True),
    (SOURCE_PHRASES, "because of", False), (SOURCE_PHRASES, "in order to", False),
    (UNNAMED, "officials", True), (UNNAMED, "source", True), (UNNAMED, "diplomats", True),
    (UNNAMED, "analysts", True), (UNNAMED, "sources close to", True), (UNNAMED, "reports", True),
    (UNNAMED, "Kremlin", False), (UNNAMED, "Putin", False),
])
def test_source_cue_lexicons(scheme: URIRef, phrase: str, listed: bool) -> None:
    g = load("lexicon.ttl")
    assert bool(find(g, phrase, in_scheme(g, scheme), NAMES)) == listed


@pytest.mark.parametrize("scheme", [VERBS, SOURCE_PHRASES, UNNAMED])
def test_lexicon_labels_are_unique_within_a_scheme(scheme: URIRef) -> None:
    g = load("lexicon.ttl")
    folded = [fold(x) for c in in_scheme(g, scheme) for x in labels(g, c, NAMES)]
    assert len(folded) == len(set(folded))
