"""gunicorn's settings for AnchorNet in production. gunicorn reads this file by itself when
started from the project's directory (``gunicorn anchornet.wsgi``); elsewhere pass
``-c /srv/anchornet/gunicorn.conf.py``. Each setting can be changed by an environment variable
(named beside it), so one file serves every machine.

The HTTP side (TLS, slow clients, large uploads) belongs to the reverse proxy in front: sync
workers are then the simplest model that holds, one request per process at a time.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Where to listen: the proxy's upstream. GUNICORN_BIND, e.g. "unix:/run/anchornet/gunicorn.sock".
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# gunicorn's own advice: (2 x cores) + 1 sync workers; WEB_CONCURRENCY overrides it.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
# A request still running after this many seconds has its worker killed and replaced (the page
# errors, the rest go on); the slowest legitimate page, a large import's preview, stays well under.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM or a reload (SIGHUP), workers finish the requests they hold for up to this long.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Keep-alive to the proxy, in seconds.
keepalive = 5
# Each worker is replaced, gracefully, after about this many requests: memory a library leaks
# or fragments is handed back without anyone noticing. The jitter keeps them from all going at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Not preloaded: each worker loads the app itself, so `systemctl reload` (SIGHUP) starts
# workers on the newly deployed code without dropping a request.
preload_app = False

# Both logs to stderr, where systemd's journal (or the container runtime) collects them with
# the app's own JSON lines. The access line names the request's id (X-Request-ID, set by the
# app), the same id as the app's lines for that request.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
