// Searched choices (outreach/widgets.py SearchSelect): <select data-search-url> holds only the empty and
// the chosen option; Tom Select asks the server for up to 20 matches of what is typed (outreach/choice_search.py).
document.addEventListener("DOMContentLoaded", function () {
  if (typeof TomSelect === "undefined") return;
  document.querySelectorAll("select[data-search-url]").forEach(function (el) {
    var select = new TomSelect(el, {
      valueField: "id",
      labelField: "text",
      // The server has matched already (codes and titles too); the empty choice is no match of a search.
      score: function (search) { return function (item) { return search && item.id === "" ? 0 : 1; }; },
      // the empty choice is the placeholder (shown until something is typed or chosen), not an item;
      // an optional field gets a button that clears the choice
      allowEmptyOption: false,
      plugins: el.required ? [] : { clear_button: { title: el.dataset.clear } },
      loadThrottle: 250,
      shouldLoad: function (query) { return query.trim().length > 0; },
      load: function (query, callback) {
        fetch(el.dataset.searchUrl + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            // the last search's matches go; the empty choice and the chosen one stay
            select.clearOptions(function (option, value) { return value === "" || select.items.indexOf(value) >= 0; });
            callback(data.results);
          })
          .catch(function () { callback(); });
      },
      render: {
        no_results: function (data, escape) { return '<div class="no-results">' + escape(el.dataset.noMatch) + "</div>"; },
      },
    });
  });
});
