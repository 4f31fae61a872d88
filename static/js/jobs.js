// A job's page: poll /jobs/<id>.json and move the progress bar until the job has finished.
// Under the site's Content-Security-Policy (no inline script or style): the bar's width is set here.
(function () {
  "use strict";
  var card = document.getElementById("job");
  if (!card) { return; }
  var bar = card.querySelector(".progress-bar");
  var track = card.querySelector(".job-progress");
  var field = function (name) { return card.querySelector('[data-job-field="' + name + '"]'); };
  var ACTIVE = { queued: true, running: true };

  function eta(seconds) {
    if (seconds === null || seconds === undefined) { return ""; }
    var text = seconds >= 60
      ? card.dataset.minutes.replace("%(n)s", Math.ceil(seconds / 60))
      : card.dataset.seconds.replace("%(n)s", Math.max(1, seconds));
    return card.dataset.etaTemplate.replace("%(time)s", text);
  }

  function show(element, text) {
    if (!element) { return; }
    element.textContent = text || "";
    element.classList.toggle("d-none", !text);
  }

  function draw(status) {
    var percent = Math.round((status.progress || 0) * 1000) / 10;
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    track.setAttribute("aria-valuenow", String(Math.round(percent)));
    var active = !!ACTIVE[status.status];
    bar.classList.toggle("progress-bar-striped", active);
    bar.classList.toggle("progress-bar-animated", active);
    bar.classList.toggle("bg-success", status.status === "done");
    bar.classList.toggle("bg-danger", status.status === "failed");
    bar.classList.toggle("bg-secondary", status.status === "cancelled");
    var label = field("status_label");
    label.textContent = status.status_label;
    label.className = label.className.replace(/job-status-\w+/, "job-status-" + status.status);
    field("step").textContent = status.step || "";
    field("eta").textContent = active ? eta(status.seconds_left) : "";
    show(field("error"), status.error);
    show(field("message"), status.message);
    var link = field("result_url");
    if (status.result_url) {
      link.setAttribute("href", status.result_url);
      link.classList.remove("d-none");
    }
    var cancel = card.querySelector("[data-job-cancel]");
    if (cancel && !active) { cancel.classList.add("d-none"); }
    card.dataset.status = status.status;
  }

  function poll() {
    fetch(card.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (status) {
        draw(status);
        if (ACTIVE[status.status]) {
          window.setTimeout(poll, 1000);
        } else if (status.status === "done" && status.result_url && card.dataset.redirect) {
          window.location.assign(status.result_url);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });  // the server restarting: try again later
  }

  bar.style.width = (parseFloat(bar.dataset.progress || "0") * 100) + "%";
  if (ACTIVE[card.dataset.status]) { window.setTimeout(poll, 500); }
}());
