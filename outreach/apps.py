from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Directory")

    def ready(self):
        from django.db.models.signals import post_migrate

        from outreach.roles import sync_role_groups

        # Not limited to this app: the other apps' permissions exist only after their own migrate.
        post_migrate.connect(sync_role_groups, dispatch_uid="outreach.sync_role_groups")
