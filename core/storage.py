"""Static file storage for production."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed, hashed storage, also rewriting ES module imports
    (``import … from "./govuk-frontend.min.js"`` in init.js) to the hashed names, so a new
    GOV.UK Frontend release is never served from a stale browser cache."""

    support_js_module_import_aggregation = True
