"""Where an annual report is in its life, and the languages it is written in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    GENERATING = "generating", _("Being generated")
    READY = "ready", _("Ready to publish")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Generation failed")


class ReportStep(models.TextChoices):
    """What the task is doing, shown beside the progress bar."""

    QUEUED = "queued", _("Waiting for its turn")
    TABLES = "tables", _("Adding up and protecting the tables")
    CHARTS = "charts", _("Drawing the charts")
    DOCUMENTS = "documents", _("Writing the pages and PDF files")
    DONE = "done", _("Done")


# The report is written in every language of the site.
REPORT_LANGUAGES = ("en", "fi", "sv")
