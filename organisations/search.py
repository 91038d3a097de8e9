"""Text search over organisations, in residents' own words (docs/adr/0003-search.md,
docs/adr/0009-synonyms-and-spelling.md).

A search is read before it is run (``read_search``): its words, at most ``MAX_QUERY_WORDS``, are
split into *parts*, each a word or a phrase from the officers' synonym list (``SynonymGroup``,
longest phrase first), and each part gathers what may match in its place — what was typed, the
known word a misspelt one is read as ("fodbank" → "foodbank"), and the other phrases of its
synonym groups ("foodbank" → "food bank", "food parcels"). An organisation matches when every
part matches its name, its description, or the name or description of a service it offers.
What the search knows besides the organisations is its ``Lexicon``, read once per search.

On PostgreSQL: full-text search with weights (name ``A`` above description ``B``) in the
``english`` configuration, served by a GIN expression index (migration 0002) built on exactly
``SEARCH_VECTOR``, so the two must change together. Words are matched as prefixes, so
"huddersf" finds "Huddersfield Mission"; punctuation and case fall away in the parser, so
"St. Mary's" finds "St Marys". A word of ``MIN_FUZZY_LENGTH`` letters or more also matches a
name with a word of similar spelling (pg_trgm word similarity, the trigram index of migration
0012), so "huddersfeld" finds it too.

On SQLite (the embedded demo database): every part must appear, case-insensitively and
ignoring apostrophes and full stops, in the name or description or a service's; misspelt
names are read against the words of the organisations' names in Python (difflib) instead of
trigrams. Good enough to demonstrate; not used in production.

A query that is a postcode (``LS14 6JB``) or a postcode district (``ls14``) matches
organisations there instead, through the indexed ``postcode`` and ``postcode_outward`` columns.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, TextField, Value
from django.db.models.functions import Lower, Replace
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _

from core.validators import is_outward_code, is_postcode, normalise_postcode

from .models import Organisation, OrganisationQuerySet, SynonymGroup, TaxonomyTerm
from .words import words_of

SEARCH_CONFIG = "english"
SEARCH_VECTOR = SearchVector("name", weight="A", config=SEARCH_CONFIG) + SearchVector(
    "description", weight="B", config=SEARCH_CONFIG
)
MAX_QUERY_WORDS = 12
# Shorter words have too many near neighbours ("bat", "cat", "hat") to guess a misspelling from.
MIN_FUZZY_LENGTH = 4
# difflib ratios (0 to 1). Reading a word as another widens the search without asking, so it
# must be close; a "did you mean" suggestion only offers a link, so it may be looser.
SPELLING_CUTOFF = 0.84
SUGGESTION_CUTOFF = 0.7
# Words too short to look for inside a service's name or description ("s" of "Mary's").
MIN_TERM_WORD_LENGTH = 3


def query_words(q: str) -> list[str]:
    """The words of a search, lower-cased, without punctuation: ``"St. Mary's"`` →
    ``["st", "mary", "s"]``. At most ``MAX_QUERY_WORDS``, so a pasted essay stays cheap."""
    return words_of(q)[:MAX_QUERY_WORDS]


# ------------------------------------------------------------------------------
# What a search knows: synonyms and known words
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Lexicon:
    """What a search knows besides the organisations' own text.

    ``synonyms`` maps each phrase of a synonym group to the other phrases of every group it is
    in (both ways: "foodbank" → "food bank" and "food bank" → "foodbank"). ``words`` is every
    known word, sorted: the synonyms' and the service terms' names and descriptions, and, where
    the database has no trigram search (SQLite), the organisations' names. Misspelt words are
    read against them.
    """

    synonyms: dict[str, tuple[str, ...]]
    words: tuple[str, ...]
    longest_phrase: int

    @classmethod
    def build(cls, groups: Iterable[list[str]], texts: Iterable[str]) -> Lexicon:
        """From synonym groups (each a list of phrases, as ``SynonymGroup.phrase_list``) and
        any texts whose words should be known."""
        synonyms: dict[str, list[str]] = {}
        known: set[str] = set()
        for phrases in groups:
            for phrase in phrases:
                others = synonyms.setdefault(phrase, [])
                others.extend(p for p in phrases if p != phrase and p not in others)
                known.update(phrase.split())
        for text in texts:
            known.update(words_of(text))
        return cls(
            synonyms={phrase: tuple(others) for phrase, others in synonyms.items()},
            words=tuple(sorted(known)),
            longest_phrase=max((len(phrase.split()) for phrase in synonyms), default=1),
        )

    def knows(self, word: str) -> bool:
        """Whether ``word`` is a known word or the start of one (a search matches prefixes)."""
        index = bisect.bisect_left(self.words, word)
        return index < len(self.words) and self.words[index].startswith(word)

    def closest(self, word: str, cutoff: float) -> str | None:
        """The known word spelt most like ``word`` (difflib ratio at least ``cutoff``), or None.
        Only for words of ``MIN_FUZZY_LENGTH`` letters or more, and never for those with digits
        (postcodes, years: "LS14" is not a misspelt "LS1")."""
        if not _fuzzy_candidate(word):
            return None
        matches = difflib.get_close_matches(word, self.words, n=1, cutoff=cutoff)
        return matches[0] if matches else None


def _fuzzy_candidate(word: str) -> bool:
    return len(word) >= MIN_FUZZY_LENGTH and not any(char.isdigit() for char in word)


def has_trigram_search() -> bool:
    """Whether the database spells names tolerantly itself (PostgreSQL's pg_trgm)."""
    return connection.vendor == "postgresql"


# The lexicon is kept in the cache (shared by every worker: the database in production) so
# that a search reads one cache entry instead of the synonym list and the services' words.
# Saving or deleting what it is built from forgets it (``forget_lexicon``, connected in
# ``OrganisationsConfig.ready``); the timeout catches writes that send no signal (a bulk
# ``update()``, a data migration). One entry per database vendor: SQLite's holds names too.
LEXICON_CACHE_KEY = "organisations:search:lexicon:{vendor}"
LEXICON_CACHE_SECONDS = 60 * 60
LEXICON_SOURCES = (SynonymGroup, TaxonomyTerm, Organisation)


def load_lexicon() -> Lexicon:
    """The synonym list and the known words: from the cache (no query, or one where the cache is
    the database), else read (two queries, three where the database has no trigram search: the
    organisations' names too, for misspelt names) and cached for ``LEXICON_CACHE_SECONDS``."""
    key = LEXICON_CACHE_KEY.format(vendor=connection.vendor)
    lexicon = cache.get(key)
    if lexicon is None:
        lexicon = _read_lexicon()
        cache.set(key, lexicon, LEXICON_CACHE_SECONDS)
    return lexicon


def forget_lexicon(**kwargs) -> None:
    """Drop the cached lexicon, now and again once the transaction commits (a search in between
    may have cached what was there before). A ``post_save``/``post_delete`` receiver for
    ``LEXICON_SOURCES``; the taxonomies too, as their names decide which terms are services."""
    keys = [LEXICON_CACHE_KEY.format(vendor=vendor) for vendor in ("postgresql", "sqlite")]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _read_lexicon() -> Lexicon:
    """The lexicon as the database holds it now (see ``load_lexicon`` for the queries)."""
    groups = [group.phrase_list for group in SynonymGroup.objects.only("phrases")]
    texts: list[str] = []
    for name, description in TaxonomyTerm.objects.services().values_list("name", "description"):
        texts += [name, description]
    if not has_trigram_search():
        texts += Organisation.objects.public().values_list("name", flat=True)
    return Lexicon.build(groups, texts)


# ------------------------------------------------------------------------------
# Reading a search
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Part:
    """One part of a search: a word or a synonym phrase as typed (``said``), the known word a
    misspelt one is read as (``read_as``, or None), and every phrase that may match in its
    place (``alternatives``: ``said`` first, then ``read_as``, then their synonyms)."""

    said: str
    read_as: str | None
    alternatives: tuple[str, ...]


@dataclass(frozen=True)
class TextSearch:
    """A resident's search as read against a ``Lexicon``: its parts, in order."""

    parts: tuple[Part, ...]

    def reasons(self, organisation: Organisation) -> list[str]:
        """Why ``organisation`` matched, for what is not plain to see in its name: "Matched:
        offers Food support", "Matched “food bank” (same as “foodbank”)", "Similar spelling:
        …". Reads only the organisation and its prefetched ``services``: no query. A part
        found in the name or description as typed needs no reason and gets none."""
        reasons: list[str] = []
        text_words = words_of(f"{organisation.name} {organisation.description}")
        services = [(term, words_of(f"{term.name} {term.description}")) for term in organisation.services.all()]
        for part in self.parts:
            for reason in _part_reasons(part, text_words, services, organisation.name):
                if reason not in reasons:
                    reasons.append(reason)
        return reasons


def read_search(q: str, lexicon: Lexicon) -> TextSearch:
    """Split the words of ``q`` into parts (see the module docstring). Pure: no query."""
    words = query_words(q)
    parts: list[Part] = []
    index = 0
    while index < len(words):
        for length in range(min(lexicon.longest_phrase, len(words) - index), 0, -1):
            phrase = " ".join(words[index : index + length])
            if phrase in lexicon.synonyms:
                parts.append(Part(phrase, None, (phrase, *lexicon.synonyms[phrase])))
                index += length
                break
        else:
            parts.append(_word_part(words[index], lexicon))
            index += 1
    return TextSearch(tuple(parts))


def _word_part(word: str, lexicon: Lexicon) -> Part:
    read_as = None if lexicon.knows(word) else lexicon.closest(word, SPELLING_CUTOFF)
    alternatives = [word]
    if read_as:
        alternatives += [read_as, *(p for p in lexicon.synonyms.get(read_as, ()) if p != word)]
    return Part(word, read_as, tuple(alternatives))


def _contains(words: list[str], phrase: str) -> bool:
    """Whether ``phrase`` appears in ``words`` as the search matches it: whole words, the
    last one as a prefix or with another common ending ("community" finds "communities", as
    PostgreSQL's stemming does)."""
    wanted = phrase.split()
    for start in range(len(words) - len(wanted) + 1):
        *whole, last = words[start : start + len(wanted)]
        if whole == wanted[:-1] and (last.startswith(wanted[-1]) or _stem(last) == _stem(wanted[-1])):
            return True
    return False


# Endings a rough stem drops, longest first: enough to explain most of what the english
# configuration's stemmer matched, not a stemmer.
_ENDINGS = ("ies", "ing", "es", "ed", "s", "y", "e")


def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_FUZZY_LENGTH:
            return word[: -len(ending)]
    return word


def _part_reasons(part: Part, text_words: list[str], services, name: str) -> list[str]:
    """The reasons one part matched (see ``TextSearch.reasons``); empty when it matched as
    typed in the name or description, or when Python cannot tell (the database's stemming)."""
    reasons = []
    if part.read_as:
        spelling = {"said": part.said, "read_as": part.read_as}
        reasons.append(_("Similar spelling: read “%(said)s” as “%(read_as)s”") % spelling)
    # A synonym is the same as the word the search read ("food bank" is the same as "foodbank",
    # which "fodbank" was read as).
    said = {"said": part.read_as or part.said}
    typed = (part.said, part.read_as)
    for alternative in part.alternatives:
        if _contains(text_words, alternative):
            if alternative == part.said:
                return []
            if alternative not in typed:
                reasons.append(_("Matched “%(found)s” (same as “%(said)s”)") % {**said, "found": alternative})
            return reasons
        term = _offering(services, alternative)
        if term is not None:
            if alternative in typed:
                reasons.append(_("Matched: offers %(service)s") % {"service": term.name})
            else:
                reasons.append(_("Matched: offers %(service)s (same as “%(said)s”)") % {**said, "service": term.name})
            return reasons
    # Not found in Python: the database's trigram search matched the name's spelling.
    similar = difflib.get_close_matches(part.said, words_of(name), n=1, cutoff=SUGGESTION_CUTOFF)
    if similar and not part.read_as:
        reasons.append(_("Similar spelling: “%(said)s” is like “%(found)s”") % {"said": part.said, "found": similar[0]})
    return reasons


def _offering(services, alternative: str):
    """The first of ``services`` (``(term, its words)`` pairs) whose words contain ``alternative``."""
    if len(alternative) < MIN_TERM_WORD_LENGTH:
        return None
    return next((term for term, words in services if _contains(words, alternative)), None)


def did_you_mean(search: TextSearch, lexicon: Lexicon, names: Iterable[str]) -> str | None:
    """A search to suggest when ``search`` found nothing: each word not known (in ``lexicon``
    or the organisations' ``names``) and not already read as another replaced by the known
    word spelt most like it (difflib ratio ``SUGGESTION_CUTOFF`` or more). None when no word
    changes. Pure: the caller fetches ``names``."""
    vocabulary = Lexicon.build([], [*lexicon.words, *names])
    suggested, changed = [], False
    for part in search.parts:
        if part.read_as or part.said in lexicon.synonyms:
            suggested.append(part.said)
            continue
        closest = None if vocabulary.knows(part.said) else vocabulary.closest(part.said, SUGGESTION_CUTOFF)
        suggested.append(closest or part.said)
        changed = changed or bool(closest)
    return " ".join(suggested) if changed else None


# ------------------------------------------------------------------------------
# Running a search
# ------------------------------------------------------------------------------
def search_organisations(
    queryset: OrganisationQuerySet, q: str, *, lexicon: Lexicon | None = None
) -> OrganisationQuerySet:
    """Filter ``queryset`` to organisations matching the resident's search ``q``, read against
    ``lexicon`` (``load_lexicon()`` when not given: two or three queries).

    Returns the queryset unchanged for a blank ``q``, ``queryset.none()`` for one with no
    words (only punctuation). On PostgreSQL the result is annotated with ``search_rank``
    (a float, higher is better) for callers that order by relevance.
    """
    q = (q or "").strip()
    if not q:
        return queryset
    if is_postcode(q):
        return queryset.filter(postcode=normalise_postcode(q))
    if not query_words(q):
        return queryset.none()
    search = read_search(q, lexicon if lexicon is not None else load_lexicon())
    matches = _text_search(queryset, q, search)
    if is_outward_code(q):
        # "LS14" is a postcode district, and also the first word of "LS14 Trust".
        return queryset.filter(Q(postcode_outward=re.sub(r"\s+", "", q).upper()) | Q(pk__in=matches.values("pk")))
    return matches


def _text_search(queryset: OrganisationQuerySet, q: str, search: TextSearch) -> OrganisationQuerySet:
    if has_trigram_search():
        condition = Q()
        for part in search.parts:
            query = _part_tsquery(part)
            condition &= (
                _only_stop_words(query)
                | Q(pk__in=_matching_ids(queryset.model, query))
                | _term_matches(part)
                | _similar_name(part)
            )
        return queryset.annotate(
            search_rank=SearchRank(SEARCH_VECTOR, SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG))
        ).filter(condition)
    queryset = queryset.annotate(
        plain_name=_without_punctuation("name"), plain_description=_without_punctuation("description")
    )
    condition = Q()
    for part in search.parts:
        in_text = Q()
        for alternative in part.alternatives:
            in_text |= Q(plain_name__contains=alternative) | Q(plain_description__contains=alternative)
        condition &= in_text | _term_matches(part)
    return queryset.filter(condition)


def _term_matches(part: Part) -> Q:
    """Organisations offering a service whose name or description contains one of the part's
    alternatives, e.g. "food" → "Food support"."""
    wanted = Q()
    for alternative in part.alternatives:
        if len(alternative) >= MIN_TERM_WORD_LENGTH:
            wanted |= Q(name__icontains=alternative) | Q(description__icontains=alternative)
    if not wanted:
        return Q(pk__in=[])
    return Q(Exists(TaxonomyTerm.objects.services().filter(wanted, organisations=OuterRef("pk"))))


def _similar_name(part: Part) -> Q:
    """A name with a word spelt like the part's (pg_trgm's ``%>``: word similarity above
    ``pg_trgm.word_similarity_threshold``, 0.6 by default), served by the trigram index."""
    if " " in part.said or not _fuzzy_candidate(part.said):
        return Q(pk__in=[])
    return Q(name__trigram_word_similar=part.said)


def _without_punctuation(field: str):
    """``Lower(field)`` without apostrophes and full stops, so "St. Mary's" reads "st marys"."""
    expression = Lower(field)
    for mark in ("'", "’", "."):
        expression = Replace(expression, Value(mark), Value(""), output_field=TextField())
    return expression


def _part_tsquery(part: Part) -> SearchQuery:
    """``said:* | (food <-> bank:*) | …`` as a raw tsquery: any alternative, each word of a
    phrase in order, the last as a prefix. Safe to build from user input because the words
    come from ``words_of``, which keeps only word characters, carrying no tsquery syntax."""
    phrases = [" <-> ".join(alternative.split()) + ":*" for alternative in part.alternatives]
    return SearchQuery(" | ".join(f"({p})" for p in phrases), search_type="raw", config=SEARCH_CONFIG)


def _only_stop_words(query: SearchQuery) -> Q:
    """True where ``query`` has nothing left once the configuration drops its stop words ("s"
    of "Mary's", "and" of "knit and natter"): such a part asks nothing, as it did when the
    whole search was one tsquery, rather than matching nothing."""
    return Q(Exact(Func(query, function="numnode", output_field=IntegerField()), 0))


def _matching_ids(model, query: SearchQuery):
    """A subquery of organisations whose search vector matches ``query``; kept as its own
    query so that PostgreSQL can answer it from the GIN index."""
    return model.objects.annotate(search_vector=SEARCH_VECTOR).filter(search_vector=query).values("pk")


def order_by_relevance(queryset: OrganisationQuerySet) -> OrganisationQuerySet:
    """Local first where a place was chosen (``reach``, see ``OrganisationQuerySet.for_place``),
    within that nearest first where distances were computed (``distance_squared``, see
    ``OrganisationQuerySet.with_distance_from``; those without one after), then best matches
    where a rank was computed (PostgreSQL), then alphabetically ignoring case
    (``organisation_public_name_idx``), then by id so pages never overlap."""
    order = []
    if "reach" in queryset.query.annotations:
        order.append(F("reach").asc())
    if "distance_squared" in queryset.query.annotations:
        order.append(F("distance_squared").asc(nulls_last=True))
    if "search_rank" in queryset.query.annotations:
        order.append(F("search_rank").desc(nulls_last=True))
    return queryset.order_by(*order, Lower("name"), "pk")
