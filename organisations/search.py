"""Text search over organisations.

On PostgreSQL: full-text search with weights (name ``A`` above description ``B``) in the
``english`` configuration, served by a GIN expression index (migration 0002) built on exactly
``SEARCH_VECTOR``, so the two must change together. Words are matched as prefixes, so
"huddersf" finds "Huddersfield Mission"; punctuation and case fall away in the parser, so
"St. Mary's" finds "St Marys".

On SQLite (the embedded demo database): every word must appear, case-insensitively and
ignoring apostrophes and full stops, in the name or description. Good enough to demonstrate;
not used in production.

A query that is a postcode (``LS14 6JB``) or a postcode district (``ls14``) matches
organisations there instead, through the indexed ``postcode`` and ``postcode_outward`` columns.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, TextField, Value
from django.db.models.functions import Lower, Replace

from core.validators import is_outward_code, is_postcode, normalise_postcode

from .models import OrganisationQuerySet, TaxonomyTerm

SEARCH_CONFIG = "english"
SEARCH_VECTOR = SearchVector("name", weight="A", config=SEARCH_CONFIG) + SearchVector(
    "description", weight="B", config=SEARCH_CONFIG
)
MAX_QUERY_WORDS = 12

_WORD_RE = re.compile(r"\w+", re.UNICODE)


def query_words(q: str) -> list[str]:
    """The words of a search, lower-cased, without punctuation: ``"St. Mary's"`` →
    ``["st", "mary", "s"]``. At most ``MAX_QUERY_WORDS``, so a pasted essay stays cheap."""
    return [w.lower() for w in _WORD_RE.findall(q)][:MAX_QUERY_WORDS]


def _prefix_tsquery(words: list[str]) -> SearchQuery:
    """``word1:* & word2:*`` as a raw tsquery. Safe to build from user input because
    ``query_words`` keeps only word characters, which carry no tsquery syntax."""
    return SearchQuery(" & ".join(f"{w}:*" for w in words), search_type="raw", config=SEARCH_CONFIG)


def _term_matches(words: list[str]) -> Q:
    """Organisations offering a service whose name contains every word, e.g. "food"."""
    terms = TaxonomyTerm.objects.filter(organisations=OuterRef("pk"))
    for word in words:
        terms = terms.filter(name__icontains=word)
    return Q(Exists(terms))


def search_organisations(queryset: OrganisationQuerySet, q: str) -> OrganisationQuerySet:
    """Filter ``queryset`` to organisations matching the resident's search ``q``.

    Returns the queryset unchanged for a blank ``q``, ``queryset.none()`` for one with no
    words (only punctuation). On PostgreSQL the result is annotated with ``search_rank``
    (a float, higher is better) for callers that order by relevance.
    """
    q = (q or "").strip()
    if not q:
        return queryset
    if is_postcode(q):
        return queryset.filter(postcode=normalise_postcode(q))
    words = query_words(q)
    if not words:
        return queryset.none()
    matches = _text_search(queryset, q, words)
    if is_outward_code(q):
        # "LS14" is a postcode district, and also the first word of "LS14 Trust".
        return queryset.filter(Q(postcode_outward=re.sub(r"\s+", "", q).upper()) | Q(pk__in=matches.values("pk")))
    return matches


def _text_search(queryset: OrganisationQuerySet, q: str, words: list[str]) -> OrganisationQuerySet:
    if connection.vendor == "postgresql":
        return queryset.annotate(
            search_rank=SearchRank(SEARCH_VECTOR, SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG))
        ).filter(Q(pk__in=_matching_ids(queryset.model, words)) | _term_matches(words))
    queryset = queryset.annotate(
        plain_name=_without_punctuation("name"), plain_description=_without_punctuation("description")
    )
    text_match = Q()
    for word in words:
        text_match &= Q(plain_name__contains=word) | Q(plain_description__contains=word)
    return queryset.filter(text_match | _term_matches(words))


def _without_punctuation(field: str):
    """``Lower(field)`` without apostrophes and full stops, so "St. Mary's" reads "st marys"."""
    expression = Lower(field)
    for mark in ("'", "’", "."):
        expression = Replace(expression, Value(mark), Value(""), output_field=TextField())
    return expression


def _matching_ids(model, words: list[str]):
    """A subquery of organisations whose search vector matches every word as a prefix; kept
    as its own query so that PostgreSQL can answer it from the GIN index."""
    return model.objects.annotate(search_vector=SEARCH_VECTOR).filter(search_vector=_prefix_tsquery(words)).values("pk")


def order_by_relevance(queryset: OrganisationQuerySet) -> OrganisationQuerySet:
    """Local first where a place was chosen (``reach``, see ``OrganisationQuerySet.for_place``),
    then best matches where a rank was computed (PostgreSQL), then alphabetically ignoring case
    (``organisation_public_name_idx``), then by id so pages never overlap."""
    order = []
    if "reach" in queryset.query.annotations:
        order.append(F("reach").asc())
    if "search_rank" in queryset.query.annotations:
        order.append(F("search_rank").desc(nulls_last=True))
    return queryset.order_by(*order, Lower("name"), "pk")
