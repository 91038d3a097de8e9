"""View mixins every app's pages share. No pages of its own: those are the apps' and the
portal's."""

from __future__ import annotations

from django.http import HttpResponseRedirect


class ShortQueryStringMixin:
    """A filter form submits every field, chosen or not; drop the empty ones with a redirect,
    so the address a resident bookmarks or shares stays short:
    ``/directory/?area=batley-and-spen&service=food-support``."""

    def get(self, request, *args, **kwargs):
        params = request.GET.copy()
        empty = [key for key, values in params.lists() if not any(v.strip() for v in values)]
        if empty:
            for key in empty:
                del params[key]
            return HttpResponseRedirect(f"{request.path}?{params.urlencode()}" if params else request.path)
        return super().get(request, *args, **kwargs)


class ForgivingPaginationMixin:
    """For ``ListView``: an out-of-range or malformed ``page`` shows the nearest real page
    rather than a 404 (``Paginator.get_page``), and an empty list is a page, not an error."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()
