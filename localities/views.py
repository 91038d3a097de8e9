"""Public area pages: the list of places and one page per locality."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from organisations.search import order_by_relevance
from organisations.selectors import anchor_roles_public, organisation_list_public
from plans.selectors import plan_current_for_locality

from .models import Locality


class LocalityListView(ListView):
    """``/areas/``: current districts, areas and wards as a tree, in one query."""

    template_name = "localities/locality_list.html"
    context_object_name = "localities"

    def get_queryset(self):
        return Locality.objects.current().in_tree_order()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        localities = list(context["localities"])
        children: dict[int | None, list[Locality]] = {}
        for locality in localities:
            children.setdefault(locality.parent_id, []).append(locality)
        for locality in localities:
            locality.current_children = sorted(children.get(locality.pk, []), key=lambda c: c.name)
        context.update(
            districts=children.get(None, []),
            nav_section="areas",
            breadcrumbs=[(_("Home"), reverse("core:home"))],
        )
        return context


class LocalityDetailView(ListView):
    """``/areas/<slug>/``: one locality — where it sits, the anchors that serve it (its own,
    those of the places above it and inside it), the places inside it, and the published
    organisations serving it or anywhere inside it, 20 to a page.

    An ended locality (an abolished ward) keeps its page, marked as ended, so old links work.
    """

    template_name = "localities/locality_detail.html"
    context_object_name = "organisations"
    paginate_by = settings.DIRECTORY_PAGE_SIZE

    def get_queryset(self):
        self.locality = get_object_or_404(Locality.objects.select_related("parent"), slug=self.kwargs["slug"])
        return order_by_relevance(organisation_list_public().serving(self.locality))

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locality = self.locality
        ancestors = locality.ancestors()
        context.update(
            locality=locality,
            ancestors=ancestors,
            breadcrumbs=[(_("Home"), reverse("core:home")), (_("Areas"), reverse("localities:list"))]
            + [(a.name, a.get_absolute_url()) for a in ancestors],
            sub_areas=Locality.objects.current().filter(parent=locality).order_by("name"),
            anchor_roles=list(anchor_roles_public(locality=locality)),
            is_current=locality.is_current(),
            current_plan=plan_current_for_locality(locality),
            nav_section="areas",
        )
        return context
