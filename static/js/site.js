// Searchable choice lists: every <select data-searchable> becomes a Tom Select box.
(function () {
  function enhance(root) {
    if (typeof TomSelect === "undefined") return;
    root.querySelectorAll("select[data-searchable]:not(.tomselected)").forEach(function (el) {
      new TomSelect(el, {
        maxOptions: 500,
        allowEmptyOption: true,
        plugins: el.multiple ? ["remove_button"] : [],
        render: { no_results: function () { return '<div class="no-results">' + (document.documentElement.lang === "en" ? "No match" : "没有匹配项") + "</div>"; } },
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
})();

// Tom Select moves a select's <label> to its own search box; the select it keeps (hidden) for the form is named
// by that label again, or a screen reader, and the accessibility check, meet a select without a name.
(function () {
  window.addEventListener("load", function () {
    document.querySelectorAll("select.tomselected").forEach(function (el) {
      var label = document.getElementById(el.id + "-ts-label");
      if (label && !el.hasAttribute("aria-labelledby")) el.setAttribute("aria-labelledby", label.id);
    });
  });
})();

// Fields shown only for some choices of another field: <input data-show-when="kind=publicity,planning">.
// Only the display follows the choice (the server still refuses a value that does not belong, with a
// message on the field); a field the server marked invalid stays visible so its message can be read.
(function () {
  function wrapper(el) {
    return el.closest("[id^='div_id_']") || el.parentElement;
  }
  function apply(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (el) {
      var rule = el.getAttribute("data-show-when").split("=");
      var controller = form.elements[rule[0]];
      if (!controller) return;
      var shown = rule[1].split(",").indexOf(controller.value) !== -1 || el.classList.contains("is-invalid");
      wrapper(el).hidden = !shown;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-show-when]")) return;
      apply(form);
      form.addEventListener("change", function () { apply(form); });
    });
  });
})();

// No inline handlers (the Content-Security-Policy refuses them):
// - a form whose submit button, or the form itself, has data-confirm="question" asks before it is sent;
// - a <select data-autosubmit> sends its form when the choice changes (the language switcher).
(function () {
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });
})();

// Sizes drawn from data (a bar's share, a chart's height): data-width="42.5%" / data-height="340px" are set
// through the style object, which the Content-Security-Policy allows, unlike a style attribute in the page.
(function () {
  function size(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) { el.style.width = el.getAttribute("data-width"); });
    root.querySelectorAll("[data-height]").forEach(function (el) { el.style.height = el.getAttribute("data-height"); });
  }
  size(document);
})();
