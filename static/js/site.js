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
  document.addEventListener("htmx:afterSwap", function (e) { enhance(e.target); });
})();
