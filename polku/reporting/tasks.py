"""Annual reports written by the task worker, so that charts and PDF files never hold up
a page."""

from django.tasks import task

from polku.reporting.services import report_generate_execute


@task()
def report_generate_task(*, report_id: int) -> str:
    """Writes a report that is waiting; returns its final status ("skipped" if not waiting)."""
    return report_generate_execute(report_id=report_id)
