// Last period's values beside the fields belong to the period the page was drawn for. When the clerk
// picks another period on a new, still empty return, the page is redrawn for it (?year=&period_kind=&half=);
// once figures are typed, nothing is thrown away: the old values are hidden until the return is saved.
(function () {
  var script = document.currentScript;
  var form = document.querySelector("form.record-form");
  var note = document.querySelector("[data-testid=previous-period]");
  if (!form || !note) return;
  var period = ["year", "period_kind", "half"];
  var ignored = period.concat(["csrfmiddlewaretoken", "version", "_save", "_addanother"]);
  var isAdd = script.getAttribute("data-is-add") === "true";
  function typed() {
    return Array.prototype.some.call(form.elements, function (el) {
      if (!el.name || ignored.indexOf(el.name) !== -1) return false;
      if (el.type === "checkbox") return el.checked;
      if (el.type === "radio") return el.checked && el.value !== "unknown";  // 是 or 否 answered; 未填 is not typed
      return el.value.trim() !== "";
    });
  }
  function changed() {
    if (isAdd && !typed()) {
      var params = new URLSearchParams();
      period.forEach(function (name) { if (form.elements[name] && form.elements[name].value) params.set(name, form.elements[name].value); });
      window.location.search = params.toString();
      return;
    }
    note.textContent = note.dataset.stale;
    document.querySelectorAll(".last-period").forEach(function (el) { el.hidden = true; });
  }
  period.forEach(function (name) { if (form.elements[name]) form.elements[name].addEventListener("change", changed); });
})();
