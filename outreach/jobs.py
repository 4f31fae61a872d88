"""The outreach app's background jobs (jobs.kinds): the Excel import's check and its confirm.

Both take {"batch": <ImportBatch id>} and end on the batch's page (the preview, or the import's
result). The check is safe to run again (it only reads the workbook, and leaves a batch checked
already alone); the confirm never is: it writes every row or none, once (outreach.importing.services).
"""

from django.utils.translation import gettext_lazy as _

from jobs.kinds import Outcome, register
from outreach.importing.services import CHECK, CONFIRM, check_batch, confirm_import, outcome_message
from outreach.models import ImportBatch


def _batch(context) -> ImportBatch:
    return ImportBatch.objects.select_related("agency").get(pk=context.arguments["batch"])


@register(CHECK, label=_("Excel import: check"), retries=1, redirect=True)
def import_check(context) -> Outcome:
    batch = check_batch(_batch(context), user=context.user, progress=context)
    return Outcome(link=batch.get_absolute_url())


@register(CONFIRM, label=_("Excel import: write"), retries=0, redirect=True)
def import_confirm(context) -> Outcome:
    batch = confirm_import(batch=_batch(context), user=context.user, progress=context)
    return Outcome(link=batch.get_absolute_url(), message=outcome_message(batch))


from outreach import exports_jobs  # noqa: E402, F401  (list downloads and the records export: their own module)
