"""Residents' voices in the demo data (see ``core.demo``): a few fictional voices per demo area
with a leading anchor, heard in the different ways, some tagged and some waiting in the untagged
queue, one with fictional contact details and consent; in the first area a duplicate merged into
its original, and two voices cited on a plan item of its published plan. Every one is marked
``is_demo`` and routed by the public form's rule (``organisations.routing``). Looked up by place
and text, so a second run changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from core.demo import DemoLoader
from organisations.demo import DemoOrganisations
from organisations.routing import anchor_for_place
from plans.models import PlanItem

from .models import HeardVia, Voice, VoiceStatus
from .services import recount_items


@dataclass(frozen=True)
class VoiceFact:
    what_matters: str
    heard_via: str
    themes: tuple[str, ...] = ()  # term codes (organisations.demo_data.TERMS)
    status: str = VoiceStatus.HEARD
    contact: bool = False


VOICES = (
    VoiceFact(
        "There is nowhere for teenagers to go on weekday evenings since the youth club closed. (demo)",
        HeardVia.CONVERSATION,
        ("young-people",),
        VoiceStatus.IN_PLAN,
        contact=True,
    ),
    VoiceFact(
        "My mum is on her own all week and would love a lunch club she can walk to. (demo)",
        HeardVia.EVENT,
        ("older-people", "food-support"),
    ),
    VoiceFact("The community centre's rooms are always booked; more groups need space. (demo)", HeardVia.ONLINE),
)
# The plan item of the first area's published demo plan (``plans.demo_data``) that the second
# and third voices above are cited on: its page then shows "raised by 2 residents".
CITED_ITEM = ("batley-and-spen-2025-2028", "Warm, welcoming places in winter (demo)")
# Typed in twice from the same paper form: merged into the first voice above.
DUPLICATE = VoiceFact(
    "Nowhere for teenagers to go on weekday evenings since the youth club shut. (demo)", HeardVia.PAPER
)


def _save(loader: DemoLoader, organisations: DemoOrganisations, area, fact: VoiceFact, **extra) -> Voice:
    values = {
        "heard_via": fact.heard_via,
        "anchor": anchor_for_place(area).anchor,
        "status": fact.status,
        "is_demo": True,
        **extra,
    }
    if fact.contact:
        values |= {
            "contact_name": "Jo Resident (demo)",
            "contact_email": "jo.resident@example.org",
            "may_contact": True,
            "may_quote": True,
        }
    # Voice.clean records when consent was given, on the first save.
    voice = loader.upsert(Voice, {"locality": area, "what_matters": fact.what_matters}, values)
    loader.set_related(voice, "themes", [organisations.terms[code] for code in fact.themes])
    return voice


def load_demo_voices(loader: DemoLoader, organisations: DemoOrganisations) -> None:
    for number, role in enumerate(sorted(organisations.lead_roles.values(), key=lambda r: r.locality.name)):
        area = role.locality
        saved = [_save(loader, organisations, area, fact) for fact in VOICES]
        if number == 0:
            _save(loader, organisations, area, DUPLICATE, merged_into=saved[0])
            item = PlanItem.objects.filter(plan__slug=CITED_ITEM[0], title=CITED_ITEM[1]).first()
            if item is not None:
                for voice in saved[1:]:
                    loader.set_related(voice, "cited_on", [item])
                recount_items([item.pk])
