"""WSGI entry point for gunicorn; production settings unless DJANGO_SETTINGS_MODULE says otherwise."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anchornet.settings.prod")

application = get_wsgi_application()

# Everything loaded so far (Django, the apps, the URL patterns) lives as long as the worker.
# Frozen, the cyclic garbage collector stops walking it on every full collection: on the
# monitoring dashboard a full collection took 85-93 ms with it and 2 ms without (bench/dashboard.py),
# the slowest of its requests. The Python documentation suggests the same for pre-fork servers
# (gc.freeze), where it also keeps the workers' pages shared.
gc.collect()
gc.freeze()
