from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("组织目录")

    def ready(self):
        from django.db.models.signals import post_migrate

        from outreach.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self)
