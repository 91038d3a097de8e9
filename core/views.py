"""View mixins every app's pages share. No pages of its own: those are the apps' and the
portal's."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render

from . import ratelimit
from .middleware import client_ip_address


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


class RateLimitedPostMixin:
    """For a public form's view: more than the setting ``rate_limit_setting`` allows from one
    internet address in ``rate_window_seconds`` (one count per ``rate_key_prefix``, shared by
    the views that give the same one) answers 429 with ``too_many_template``, given ``limit``
    and ``too_many_context()``. The view calls ``count_sent()`` once the form is taken (a
    robot's dropped form included: it still costs the sender), never for a form with errors."""

    rate_key_prefix: str
    rate_limit_setting: str
    too_many_template: str
    rate_window_seconds = 60 * 60

    def _rate_key(self) -> str:
        return f"{self.rate_key_prefix}:{client_ip_address(self.request) or 'unknown'}"

    def too_many_context(self) -> dict:
        return {}

    def count_sent(self) -> None:
        ratelimit.count(self._rate_key(), window_seconds=self.rate_window_seconds)

    def post(self, request, *args, **kwargs):
        limit = getattr(settings, self.rate_limit_setting)
        if ratelimit.over_limit(self._rate_key(), limit=limit, window_seconds=self.rate_window_seconds):
            return render(request, self.too_many_template, {"limit": limit, **self.too_many_context()}, status=429)
        return super().post(request, *args, **kwargs)
