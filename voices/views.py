"""Pages of residents' voices: the public "Tell us what matters here" form of every area and ward
page, and, for an anchor's editors and officers, the list of voices, recording one for a resident
and one voice's page (themes, status, merge, citations)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.concurrency import EditConflict, accept_current_versions
from core.forms import error_links, exception_messages, is_storable_id
from core.views import RateLimitedPostMixin
from localities.models import Locality, LocalityKind
from organisations.models import TaxonomyTerm

from .forms import CiteForm, MergeForm, MoveForm, RecordVoiceForm, TagForm, TellUsForm
from .models import Voice
from .permissions import can_change_voice, can_work_with_voices, recordable_localities
from .services import citable_items, voice_cite, voice_merge, voice_move, voice_record, voice_submit, voice_tag

logger = logging.getLogger(__name__)


def _home():
    return (_("Home"), reverse("portal:home"))


class PlaceMixin:
    """The place in the address (``/areas/<slug>/...``): any locality with a page, current or not
    (a voice about an ended ward is refused: the form offers only current places)."""

    def dispatch(self, request, *args, **kwargs):
        self.locality = get_object_or_404(Locality.objects.current(), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def crumbs(self):
        return [
            _home(),
            (_("Areas"), reverse("portal:area_list")),
            (self.locality.name, self.locality.get_absolute_url()),
        ]


class TellUsView(PlaceMixin, RateLimitedPostMixin, FormView):
    """``/areas/<slug>/tell-us/``: "Tell us what matters here", for anyone, no account needed.
    What the resident writes goes to the anchor for the place and to officers, never to a
    public page. A form a robot filled in (the hidden ``website`` field) is dropped silently;
    more than ``VOICE_RATE_LIMIT_PER_HOUR`` from one address in an hour answers 429 (the
    mechanism of "Ask for support": ``core.ratelimit``)."""

    form_class = TellUsForm
    template_name = "voices/tell_us_form.html"
    rate_key_prefix = "voice"
    rate_limit_setting = "VOICE_RATE_LIMIT_PER_HOUR"
    too_many_template = "voices/tell_us_too_many.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            locality=self.locality,
            breadcrumbs=self.crumbs(),
            retention_days=settings.VOICE_RETENTION_DAYS,
            **kwargs,
        )

    def too_many_context(self) -> dict:
        return {"breadcrumbs": self.crumbs(), "locality": self.locality}

    def form_valid(self, form):
        self.count_sent()
        if form.is_spam:
            logger.info("A voice with the hidden field filled in was dropped.")
            return redirect("voices:tell_us_sent", slug=self.locality.slug)
        data = form.cleaned_data
        voice_submit(
            locality=self.locality,
            what_matters=data["what_matters"],
            themes=[data["theme"]] if data["theme"] else [],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            may_contact=data["may_contact"],
            may_quote=data["may_quote"],
        )
        return redirect("voices:tell_us_sent", slug=self.locality.slug)


class TellUsSentView(PlaceMixin, TemplateView):
    """``/areas/<slug>/tell-us/sent/``: the confirmation page."""

    template_name = "voices/tell_us_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(locality=self.locality, breadcrumbs=self.crumbs(), **kwargs)


# ------------------------------------------------------------------------------------------
# The anchor's pages
# ------------------------------------------------------------------------------------------
class VoicesMixin(LoginRequiredMixin):
    """Signed in, and an anchor's editor or an officer (``can_work_with_voices``); anyone else
    signed in gets 403 with a sentence saying who may."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_work_with_voices(request.user):
            raise PermissionDenied(_("Only the editors of an anchor organisation and officers see residents' voices."))
        return super().dispatch(request, *args, **kwargs)

    def crumbs(self, *more):
        return [_home(), (_("Your account"), reverse("portal:account")), *more]


class VoiceListView(VoicesMixin, ListView):
    """``/voices/``: the voices the person may see (``VoiceQuerySet.visible_to``), newest first,
    50 to a page; ``?queue=untagged`` shows only those with no theme yet. A fixed number of
    queries whatever the number of voices."""

    template_name = "voices/voice_list.html"
    context_object_name = "voices"
    paginate_by = 50

    def get_queryset(self):
        self.untagged_only = self.request.GET.get("queue") == "untagged"
        voices = Voice.objects.visible_to(self.request.user)
        if self.untagged_only:
            voices = voices.untagged()
        return (
            voices.select_related("locality", "anchor", "merged_into")
            .prefetch_related(Prefetch("themes", queryset=TaxonomyTerm.objects.order_by("name")))
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            untagged_only=self.untagged_only,
            untagged_count=Voice.objects.visible_to(self.request.user).counted().untagged().count(),
            breadcrumbs=self.crumbs(),
            **kwargs,
        )


class VoiceCreateView(VoicesMixin, FormView):
    """``/voices/new/``: record a voice heard from a resident (in conversation, at an event, on
    paper), with their consent as they gave it."""

    form_class = RecordVoiceForm
    template_name = "voices/voice_form.html"

    def get_form_kwargs(self):
        places = recordable_localities(self.request.user).exclude(kind=LocalityKind.NEIGHBOURHOOD).in_tree_order()
        return {**super().get_form_kwargs(), "localities": places}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            breadcrumbs=self.crumbs((_("Residents’ voices"), reverse("voices:list"))), **kwargs
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            voice = voice_record(
                user=self.request.user,
                locality=data["locality"],
                what_matters=data["what_matters"],
                heard_via=data["heard_via"],
                themes=data["themes"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                may_contact=data["may_contact"],
                may_quote=data["may_quote"],
            )
        except (ValidationError, PermissionDenied) as error:
            for message in exception_messages(error, default=str(_("You cannot record this voice."))):
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("The voice is recorded."))
        return redirect(voice.get_absolute_url())


class VoiceDetailView(VoicesMixin, View):
    """``/voices/<pk>/``: one voice with its contact details and consent, and the forms to tag
    its themes, move its status, merge it into the voice it repeats and cite it on plan items.
    Each form posts ``action`` and the version it was loaded from; a stale one is refused with
    what changed (``core.concurrency``). Out of the person's scope it answers 404."""

    template_name = "voices/voice_detail.html"
    actions = {"tag": TagForm, "move": MoveForm, "merge": MergeForm, "cite": CiteForm}

    def get_object(self) -> Voice:
        pk = self.kwargs["pk"]
        if not is_storable_id(pk):
            raise Http404
        return get_object_or_404(
            Voice.objects.visible_to(self.request.user).select_related(
                "locality", "anchor", "merged_into", "recorded_by"
            ),
            pk=pk,
        )

    def form_kwargs(self, voice: Voice, name: str) -> dict:
        if name == "merge":
            candidates = (
                Voice.objects.visible_to(self.request.user)
                .counted()
                .filter(locality=voice.locality, erased_at__isnull=True)
                .exclude(pk=voice.pk)
                .order_by("-created_at", "-pk")
            )
            return {"candidates": candidates}
        if name == "cite":
            items = (
                citable_items(self.request.user)
                .filter(plan__locality__in=Locality.objects.overlapping([voice.locality]))
                .select_related("plan")
                .order_by("plan__title", "kind", "order")
            )
            return {"items": items}
        return {}

    def initial(self, voice: Voice, name: str) -> dict:
        if name == "tag":
            return {"themes": [theme.pk for theme in voice.themes.all()]}
        if name == "cite":
            return {"items": [item.pk for item in voice.cited_on.all()]}
        return {}

    def render_page(self, voice: Voice, bound=None, status=200):
        forms = {}
        may_change = can_change_voice(self.request.user, voice) and not voice.is_merged
        if may_change:
            for name, form_class in self.actions.items():
                if bound is not None and bound.prefix == name:
                    forms[name] = bound
                else:
                    forms[name] = form_class(
                        voice=voice, prefix=name, initial=self.initial(voice, name), **self.form_kwargs(voice, name)
                    )
        return render(
            self.request,
            self.template_name,
            {
                "voice": voice,
                "themes": voice.themes.order_by("name"),
                "cited_on": voice.cited_on.select_related("plan").order_by("plan__title", "kind", "order"),
                "duplicates": voice.duplicates.order_by("-created_at"),
                "may_change": may_change,
                "forms": forms,
                "error_links": error_links(bound) if bound is not None else [],
                "breadcrumbs": self.crumbs((_("Residents’ voices"), reverse("voices:list"))),
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(self.get_object())

    def post(self, request, *args, **kwargs):
        voice = self.get_object()
        name = request.POST.get("action", "")
        if name not in self.actions or not can_change_voice(request.user, voice) or voice.is_merged:
            messages.error(request, _("This voice cannot be changed: it was merged or removed."))
            return redirect(voice.get_absolute_url())
        form = self.actions[name](request.POST, voice=voice, prefix=name, **self.form_kwargs(voice, name))
        if not form.is_valid():
            return self.render_page(voice, bound=form)
        data = form.cleaned_data
        version = data.get("loaded_version")
        try:
            if name == "tag":
                voice_tag(voice=voice, user=request.user, themes=data["themes"], expected_version=version)
                done = _("Themes saved.")
            elif name == "move":
                voice = voice_move(
                    voice=voice,
                    user=request.user,
                    to_status=data["to_status"],
                    reason=data["reason"],
                    expected_version=version,
                )
                done = _("It is now “%(status)s”.") % {"status": voice.get_status_display()}
            elif name == "merge":
                target = voice_merge(voice=voice, into=data["into"], user=request.user, expected_version=version)
                messages.success(request, _("Merged: it now counts once, with this voice."))
                return redirect(target.get_absolute_url())
            else:
                voice_cite(voice=voice, user=request.user, items=data["items"], expected_version=version)
                done = _("Plan items saved.")
        except EditConflict as conflict:
            accept_current_versions(form, conflict)
            return self.render_page(self.get_object(), bound=form)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                for message in exception_messages(error, default=str(_("You cannot change this voice."))):
                    form.add_error(None, message)
            return self.render_page(voice, bound=form)
        messages.success(request, done)
        return redirect(voice.get_absolute_url())
