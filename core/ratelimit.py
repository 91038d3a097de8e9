"""A fixed-window rate limit in Django's cache, for public forms (no domain here)."""

from __future__ import annotations

from django.core.cache import cache


def over_limit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Whether ``key`` (e.g. a form's name and the sender's address) has been counted ``limit``
    times or more in the current window. Reads only: call ``count`` once the action is done."""
    return cache.get(f"ratelimit:{key}", 0) >= limit


def count(key: str, *, window_seconds: int) -> int:
    """Count one action for ``key``; the window starts with the first one. Returns the count."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this is the first of a new window
        cache.set(cache_key, 1, timeout=window_seconds)
        return 1
