"""Who wrote an article, when that decides who "I" and "we" are.

Official statements, remarks, messages and interview transcripts are first-person documents:
"I have ordered the deployment …", "We condemn …". Their speaker is found

1. in the title: "Statement by President Biden on …", "Remarks of the Prime Minister …",
   "Interview with Vladimir Putin" (the interviewee answers in the first person); else
2. from the publisher (``ontology/sources.ttl``): documents of "The American Presidency
   Project" or the Kremlin's website are spoken by whoever held the office on the day.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlparse

from graph.actors import TITLES, Gazetteer, to_actor
from graph.ids import slug
from graph.knowledge import Publisher
from graph.model import Actor, Article

_JOINT = re.compile(
    r"^joint\s+(?:statement|declaration|communiqu[eé]|press\s+statement)\s+(?:by|of|from|between)\s+"
    r"(?:the\s+)?(?P<who>.+?)(?:\s+(?:on|at|to|in|regarding|about|following|for)\b|[:(]|$)",
    re.IGNORECASE,
)
#: Documents issued jointly: their "we" is every signatory.
_JOINT_DOCUMENT = re.compile(r"^joint\b|\b(?:leaders'? declaration|communiqu[eé])\b", re.IGNORECASE)
#: Groupings whose leaders issue joint documents.
_GROUPING = re.compile(
    r"\b(?:G-?7|G-?20|Group of (?:Seven|Twenty)|NATO|North Atlantic Treaty Organization|"
    r"European Union|EU|Quad|BRICS|ASEAN|OSCE|CSTO|SCO)\b"
)
_TITLE = re.compile(
    r"^(?:joint\s+)?(?:statement|remarks|address|message|letter|speech|readout|op-ed|interview"
    r"|article|greetings|congratulations|condolences)\s+(?:by|of|from|with)\s+(?:the\s+)?"
    r"(?P<who>.+?)(?:\s+(?:on|at|to|in|regarding|about|before|and|for|following)\b|[:,(]|$)",
    re.IGNORECASE,
)


def _from_title(title: str, gazetteer: Gazetteer, day: date | None) -> Actor | None:
    match = _TITLE.match(title.strip())
    if not match:
        return None
    who = match.group("who").strip()
    if _JOINT.match(title):
        return _joint(title, gazetteer, day)
    known = gazetteer.by_label(who) or gazetteer.holder(who, day)
    return to_actor(known) if known else None


def _joint(title: str, gazetteer: Gazetteer, day: date | None) -> Actor | None:
    """The authors of a joint statement, as one group: "Joe Biden and Fumio Kishida"."""
    match = _JOINT.match(title)
    assert match is not None
    names = []
    for part in re.split(r",\s*|\s+and\s+", match.group("who")):
        part = re.sub(r"\s+of\s+.*$", "", part.strip())
        known = gazetteer.by_label(part) or gazetteer.holder(part, day)
        if known:
            names.append(known.name)
        elif part[:1].isupper():
            words = part.split()
            while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
                words.pop(0)
            names.append(" ".join(words))
    if len(names) < 2:
        return None
    name = ", ".join(names[:-1]) + " and " + names[-1]
    return Actor(id=slug(name), name=name, kind="group")


def _from_publisher(article: Article, gazetteer: Gazetteer, publishers: tuple[Publisher, ...]) -> Actor | None:
    names = {(article.source or "").lower()}
    if article.url:
        host = urlparse(article.url).netloc.lower()
        names |= {host, host.removeprefix("www.")}
    for publisher in publishers:
        if names & set(publisher.labels):
            holders = {
                t.holder for t in gazetteer.knowledge.tenures
                if t.role == publisher.role and article.published and t.holds_on(article.published)
            }
            if len(holders) == 1:
                entry = gazetteer.by_id.get(holders.pop())
                return to_actor(entry) if entry else None
    return None


def author_of(article: Article, gazetteer: Gazetteer, publishers: tuple[Publisher, ...]) -> Actor | None:
    """The speaker of an article's own first-person words, if the title or publisher says."""
    if article.title:
        actor = _from_title(article.title, gazetteer, article.published)
        if actor:
            return actor
        if _JOINT_DOCUMENT.match(article.title):
            return _group_of(article.title)  # "we" are all the signatories, not the publisher's office
    return _from_publisher(article, gazetteer, publishers)


def _group_of(title: str) -> Actor:
    """The leaders of the grouping a joint document names ("G7 Apulia Leaders' Communiqué"),
    else its signatories, named by the document."""
    match = _GROUPING.search(title)
    if match:
        name = f"{re.sub(r'[^A-Za-z0-9 ]', '', match.group(0)).strip()} leaders"
    else:  # who signed is not in the title: the speaker is still those who signed it
        name = f"Signatories of “{title.strip()}”"
    return Actor(id=slug(name), name=name, kind="group")
