"""Jobs on the web: 我的任务 (the list), a job's page with its progress bar, its JSON, cancel, download.

Staff see their own agency's jobs, officers and administrators every job (`Job.objects.for_user`);
another agency's job is a 404. Only the person who started a job cancels it (others: 403).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, ListView

from jobs import services
from jobs.context_processors import watch
from jobs.kinds import KINDS
from jobs.models import Job
from jobs.selectors import job_status
from outreach.excel import download
from outreach.middleware import passive
from outreach.mixins import RoleRequiredMixin, show_errors
from outreach.roles import Role

JUST_STARTED = "job_just_started"

MSG_CANCELLED = _("The job was cancelled.")
MSG_CANCEL_ASKED = _("Cancelling: the job stops at its next step and nothing it did is kept.")


def to_job(request, job: Job) -> HttpResponseRedirect:
    """After a page has started a job: count it in the navigation and go to its page.

    The session remembers the job just asked for: if it has already finished when its page opens
    (a fast worker, or the immediate backend) and its kind leads to a result page (an import's
    preview), the user goes straight there, as the page's script does when the job finishes while
    they watch.
    """
    watch(request)
    request.session[JUST_STARTED] = job.pk
    return HttpResponseRedirect(job.get_absolute_url())


class JobRoleMixin(RoleRequiredMixin):
    roles = (Role.STAFF, Role.OFFICER, Role.ADMIN)


class VisibleJobMixin(JobRoleMixin):
    def get_queryset(self):
        return Job.objects.for_user(self.request.user).listing()

    def get_job(self, pk) -> Job:
        job = get_object_or_404(self.get_queryset(), pk=pk)
        # a worker that died shows as failed (or queued again), not running forever
        if job.status == Job.Status.RUNNING and services.reap_stale(job_ids=[job.pk]):
            job.refresh_from_db()
        return job


class JobListView(JobRoleMixin, ListView):
    """我的任务: the user's own jobs, newest first (?all=1: every job the user may see)."""

    template_name = "jobs/list.html"
    context_object_name = "jobs"
    paginate_by = 25

    def show_all(self) -> bool:
        return self.request.GET.get("all") == "1"

    def get_queryset(self):
        jobs = Job.objects.for_user(self.request.user).listing()
        return jobs if self.show_all() else jobs.filter(requested_by=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            show_all=self.show_all(),
            query="all=1" if self.show_all() else "",  # kept by the pagination's links
            keep_days=settings.JOBS_KEEP_DAYS,
            **kwargs,
        )


class JobDetailView(VisibleJobMixin, DetailView):
    """A job's page: the progress bar (updated from the JSON by static/js/jobs.js), cancel, the result."""

    template_name = "jobs/detail.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        return self.get_job(self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.object = job = self.get_object()
        kind = KINDS.get(job.kind)
        just_started = request.session.pop(JUST_STARTED, None) == job.pk
        if just_started and kind is not None and kind.redirect and job.result_link and job.result_url:
            return HttpResponseRedirect(job.result_url)
        return self.render_to_response(self.get_context_data(object=job))

    def get_context_data(self, **kwargs):
        job = self.object
        kind = KINDS.get(job.kind)
        return super().get_context_data(
            status=job_status(job),
            may_cancel=job.is_active and job.requested_by_id == self.request.user.pk,
            redirect_when_done=bool(kind and kind.redirect),
            **kwargs,
        )


class JobStatusView(VisibleJobMixin, View):
    """GET /jobs/<id>.json: {"status", "progress" (0.0–1.0), "step", "result_url", "error", …}."""

    http_method_names = ["get"]

    def get(self, request, pk):
        passive(request)  # the page polls by itself: no renewal of the session
        return JsonResponse(job_status(self.get_job(pk)), json_dumps_params={"ensure_ascii": False})


class JobCancelView(VisibleJobMixin, View):
    """POST: the job's owner cancels it (another person's job: 403; a finished one: a message)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        job = self.get_job(pk)
        try:
            job = services.cancel(job, user=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.info(request, MSG_CANCELLED if job.status == Job.Status.CANCELLED else MSG_CANCEL_ASKED)
        return HttpResponseRedirect(job.get_absolute_url())


class JobDownloadView(VisibleJobMixin, View):
    """GET: the job's result file, while it is kept (a failed job, or one past its keeping time: 404)."""

    http_method_names = ["get"]

    def get(self, request, pk):
        job = get_object_or_404(
            Job.objects.for_user(request.user),
            pk=pk,
            status=Job.Status.DONE,
            result_size__gt=0,
            result_expires_at__gt=timezone.now(),
        )
        return download(job.result_content, job.result_name, job.result_content_type or "application/octet-stream")
