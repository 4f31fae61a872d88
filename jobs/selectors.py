"""What the job pages and the JSON read: one shape for both, so they never disagree."""

from django.urls import reverse

from jobs import sidecar
from jobs.models import Job


def job_status(job: Job) -> dict:
    """The job as its JSON (`/jobs/<id>.json`) and its page show it."""
    sidecar.overlay(job)
    return {
        "id": job.pk,
        "kind": job.kind,
        "kind_label": job.kind_label,
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": round(job.fraction, 4),
        "done": job.done,
        "total": job.total,
        "step": job.step_text,
        "seconds_left": job.seconds_left,
        "result_url": job.result_url,
        "result_name": job.result_name if job.has_file else None,
        "message": job.message or None,
        "error": job.error or None if job.status == Job.Status.FAILED else None,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "url": reverse("jobs:detail", args=[job.pk]),
    }


def running_count(user) -> int:
    """The navigation's count: the user's own jobs queued or running."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Job.objects.active().filter(requested_by=user).count()
