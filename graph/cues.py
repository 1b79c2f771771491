"""Reporting cues in a parsed sentence: who (subject tokens) reports what (content tokens).

Patterns, over spaCy's dependency parse (English, ClearNLP labels):

- ``SUBJ VERB (that) CLAUSE``      Putin said (that) the talks failed           ccomp
- ``CLAUSE, SUBJ VERB``            The aim was …, Putin said                    ccomp before the verb
- ``CLAUSE, VERB SUBJ``            … said the Russian president                 inverted subject
- ``SUBJ VERB OBJECT``             Putin reiterated his willingness to …        dobj of a content verb
- ``SUBJ VERB X as Y``             He described the invasion as a success       dobj + "as"
- ``SUBJ VERB for/of X``           called for the border to be closed           prep of a content verb
- ``…, VERB-ing CLAUSE``           signed a decree, saying Ukraine will …       subject of the head verb
- ``NOUN SUBJ VERB CLAUSE``        the conscripts Putin claimed would be drafted  relative clause
- ``according to X, CLAUSE``       According to him, the army has begun …
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.nlp import Token

#: Verbs whose direct object is the reported content (not the addressee, as with "tell").
OBJECT_CONTENT = frozenset(
    ["acknowledge", "reiterate", "describe", "express", "affirm", "announce", "deny", "admit", "confirm", "reject", "dismiss", "criticise", "criticize", "condemn", "slam", "praise", "blame", "accuse", "predict", "promise", "vow", "repeat", "stress", "emphasise", "emphasize", "allege", "claim", "assert", "suggest", "propose", "demand", "urge", "offer", "recall", "rule", "call", "see"]
)
#: Prepositions that introduce content after some verbs ("call for", "speak of", "warn of").
CONTENT_PREPOSITIONS = {
    "speak": {"of", "about"}, "talk": {"of", "about"}, "warn": {"of", "about", "against"},
    "call": {"for", "on"}, "argue": {"for", "against"}, "complain": {"about", "of"},
    "boast": {"about", "of"},
    # expressive acts name their target, then the grievance or merit ("criticized Kiev for refusing
    # to talk", "accused Moscow of blackmail")
    "criticise": {"for"}, "criticize": {"for"}, "condemn": {"for"}, "slam": {"for"},
    "praise": {"for"}, "blame": {"for"}, "accuse": {"of"},
}
#: Subjects that are not sources: the addressee of a question, nobody.
NOT_SOURCES = frozenset({"you", "nobody", "none", "one"})
HYPOTHETICAL = frozenset({"would", "could", "might", "should"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "parataxis"})
#: Dependencies through which a verb inherits its subject from its head.
INHERITING_DEPS = frozenset({"advcl", "conj", "xcomp", "pcomp", "acl"})
#: Modifiers that are not part of a speaker's name.
NOT_IN_PHRASE = frozenset({"relcl", "acl", "advcl", "punct", "cc", "conj", "appos", "prep"})
#: Nouns naming a document whose author is the real source ("an update by the ministry").
DOCUMENT_NOUNS = frozenset(
    ["update", "report", "statement", "assessment", "briefing", "bulletin", "estimate", "data", "analysis", "intelligence", "study", "survey", "poll", "note", "letter", "communique"]
)


@dataclass(frozen=True)
class Cue:
    """A reporting cue with its speaker and content, as token index ranges of one doc."""

    verb: Token
    speaker: tuple[int, int] | None  # [start, end) token indices of the subject phrase
    content: tuple[int, int]  # [start, end) token indices
    kind: str  # "verb" | "according"

    def covers(self, index: int) -> bool:
        return self.content[0] <= index < self.content[1]


def _edges(token: Token) -> tuple[int, int]:
    return token.left_edge.i, token.right_edge.i + 1


def subject_phrase(token: Token) -> tuple[int, int]:
    """Token range of a subject's name: the token and its modifiers, without clauses."""
    keep = [token]
    stack = [c for c in token.children if c.dep_ not in NOT_IN_PHRASE]
    for child in token.children:
        if child.dep_ == "prep" and child.i > token.i and child.lower_ in {"of", "to", "in"}:
            stack.append(child)
    while stack:
        child = stack.pop()
        keep.append(child)
        stack.extend(c for c in child.children if c.dep_ not in {"relcl", "acl", "advcl", "punct"})
    indices = sorted(t.i for t in keep)
    return indices[0], indices[-1] + 1


def _subject(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if subjects:
        named = [s for s in subjects if s.ent_type_ == "PERSON"]
        return (named or subjects)[-1]
    return None


def find_subject(verb: Token) -> Token | None:
    """The verb's subject, or the subject it inherits from its head (advcl, conj …)."""
    current = verb
    for _ in range(4):
        subject = _subject(current)
        if subject is not None and subject.lower_ in {"who", "whom"} and current.dep_ == "relcl":
            return current.head  # "the president, who said …": the antecedent speaks
        if subject is not None and subject.lower_ in {"which", "that"} and current.dep_ == "relcl":
            current = current.head.head  # "the offensive, which began …, by saying": climb out
            continue
        if subject is not None:
            return subject
        if current.dep_ not in INHERITING_DEPS or current.head is current:
            return None
        if current.dep_ == "pcomp" and current.head.lower_ != "by":
            return None  # "tactics like promising rewards": not the head's act of speaking
        current = current.head
        if current.dep_ == "prep":
            current = current.head
    return None


def _marked_that(clause: Token) -> bool:
    return any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children)


def _content(verb: Token, lemma: str) -> tuple[int, int] | None:
    clauses = [c for c in verb.children if c.dep_ in CLAUSE_DEPS]
    if any(c.i > verb.i and _marked_that(c) for c in clauses):
        # "So, despite setbacks – which would withdraw … – Putin reported that he did not
        # foresee …": with a that-clause after the verb, a clause before it is not the content
        clauses = [c for c in clauses if c.i > verb.i]
    if clauses:
        spans = [_edges(c) for c in clauses]
        return min(s for s, _ in spans), max(e for _, e in spans)
    allowed = CONTENT_PREPOSITIONS.get(lemma, set())
    preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in allowed and c.i > verb.i]
    # "called for the border to be closed": a for-clause parsed as an adverbial clause.
    preps += [
        c for c in verb.children
        if c.dep_ == "advcl" and c.i > verb.i
        and any(m.dep_ == "mark" and m.lower_ in allowed | {"that"} for m in c.children)
    ]
    if lemma in OBJECT_CONTENT:
        objects = [c for c in verb.children if c.dep_ in {"dobj", "oprd", "attr"}]
        preps += [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" and c.i > verb.i]
        preps += objects
    if preps:
        spans = [_edges(c) for c in preps]
        return min(s for s, _ in spans), max(e for _, e in spans)
    return None


def verb_cues(sentence: list[Token], reporting: frozenset[str]) -> list[Cue]:
    """Cues headed by a reporting verb in ``sentence``."""
    cues = []
    for token in sentence:
        lemma = token.lemma_.lower()
        if token.pos_ not in {"VERB", "AUX"} or lemma not in reporting:
            continue
        if any(c.dep_ == "mark" and c.lower_ in {"if", "whether"} for c in token.children):
            continue
        if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL for c in token.children):
            continue  # "Ukraine would have pledged …": what might have been said
        if any(c.lower_ == "what" and c.dep_ in {"dobj", "nsubj", "attr"} for c in token.children):
            continue  # "in what experts describe as …": a hedge, not a report
        if token.dep_ == "amod" or token.tag_ == "VBN" and token.dep_ in {"acl", "amod"}:
            continue
        content = _content(token, lemma)
        if content is None:
            continue
        subject = find_subject(token)
        if subject is not None and subject.lower_ in NOT_SOURCES:
            continue  # "you said …" asks; "no one said …" reports nobody
        speaker = subject_phrase(subject) if subject is not None else None
        if speaker and speaker[0] <= token.i < speaker[1]:
            speaker = None
        if token.dep_ == "relcl" and speaker is not None:
            head = token.head
            content = (min(content[0], head.left_edge.i), content[1])
        cues.extend(Cue(token, speaker, part, "verb") for part in _points(token, content))
    return cues


def _points(verb: Token, content: tuple[int, int]) -> list[tuple[int, int]]:
    """``content`` cut where the verb reports a second that-clause: "said that mobilization will
    end within two weeks and that he has no plans to mobilize more" makes two points."""
    cuts = sorted(
        conj.left_edge.i
        for clause in verb.children if clause.dep_ == "ccomp"
        for conj in clause.children
        if conj.dep_ == "conj" and conj.pos_ in {"VERB", "AUX"}
        and _marked_that(conj)
        and content[0] < conj.left_edge.i < content[1]
    )
    if not cuts:
        return [content]
    doc = verb.doc
    starts = [content[0], *cuts]
    ends = [*cuts, content[1]]
    parts = []
    for start, end in zip(starts, ends):
        while end > start and (doc[end - 1].dep_ == "cc" or doc[end - 1].is_punct):
            end -= 1
        parts.append((start, end))
    return parts


def according_cues(sentence: list[Token]) -> list[Cue]:
    """``According to X, …`` and ``…, according to X``."""
    cues = []
    for token in sentence:
        if token.lower_ != "according":
            continue
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
        if source is None:
            continue
        if source.lemma_.lower() in DOCUMENT_NOUNS:
            agent = next(
                (g for p in source.children if p.dep_ == "prep" and p.lower_ in {"by", "from", "of"}
                 for g in p.children if g.dep_ == "pobj"),
                None,
            ) or next((c for c in source.children if c.dep_ == "poss"), None)
            if agent is not None:
                source = agent
        phrase_start, phrase_end = _edges(token)
        first, last = sentence[0].i, sentence[-1].i + 1
        if phrase_start - first > last - phrase_end:
            content = (first, phrase_start)
        else:
            content = (phrase_end, last)
        doc = token.doc
        start, end = content
        while start < end and doc[start].is_punct:
            start += 1
        while end > start and doc[end - 1].is_punct and doc[end - 1].text in {",", ";", "—", "–"}:
            end -= 1
        if end > start:
            cues.append(Cue(token, subject_phrase(source), (start, end), "according"))
    return cues
