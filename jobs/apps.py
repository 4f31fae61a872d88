from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        # Each app declares the long work it runs as jobs in its own `jobs` module (jobs.kinds.register).
        autodiscover_modules("jobs")
