from django.contrib import admin

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "status", "agency", "requested_by", "created_at", "done", "total", "attempts")
    list_filter = ("status", "kind")
    search_fields = ("kind", "agency__code", "agency__name", "requested_by__username", "error")
    readonly_fields = [field.name for field in Job._meta.fields if field.name != "result_content"]
    exclude = ("result_content",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency", "requested_by").defer("result_content")
