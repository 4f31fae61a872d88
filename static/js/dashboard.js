// The work dashboard's charts (Chart.js from static/vendor). Data comes from the page's
// <script type="application/json" id="dashboard-data">; every dataset carries one URL per bar, and
// clicking a bar opens the list of the records behind it. Each chart has a table of the same data.
(function () {
  "use strict";

  var PALETTE = {
    visits: "#b3261e",
    contact_point_activities: "#1f77b4",
    joint_activities: "#2ca02c",
    four_into: "#ff7f0e",
    volunteer_services: "#f2b701",
    five_into: "#9467bd",
    one_plus_two: "#1f77b4",
    five_ones: "#2ca02c",
    minimums: "#b3261e",
  };
  var CITY_COLOURS = ["#1f77b4", "#2ca02c", "#b3261e", "#ff7f0e"];  // one a figure

  function openBar(chart, event) {
    var hits = chart.getElementsAtEventForMode(event, "nearest", { intersect: true }, true);
    if (!hits.length) return;
    var dataset = chart.data.datasets[hits[0].datasetIndex];
    var url = dataset.urls && dataset.urls[hits[0].index];
    if (url) window.location.assign(url);
  }

  function pointer(event, elements) {
    var target = event.native && event.native.target;
    if (target) target.style.cursor = elements.length ? "pointer" : "default";
  }

  function number(value) {
    return Number(value).toLocaleString(document.documentElement.lang || undefined);
  }

  function common(extra) {
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      onClick: function (event, elements, chart) { openBar(chart, event); },
      onHover: pointer,
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
    };
    return Object.assign(options, extra || {});
  }

  function monthly(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (d) {
          return { label: d.label, data: d.data, urls: d.urls, stack: d.stack, backgroundColor: PALETTE[d.key] };
        }),
      },
      options: common({
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { callback: number } },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + number(c.parsed.y); } } },
        },
      }),
    });
  }

  function cities(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (d, i) {
          return { label: d.label, data: d.data, urls: d.urls, backgroundColor: CITY_COLOURS[i % CITY_COLOURS.length] };
        }),
      },
      options: common({ scales: { y: { beginAtZero: true, ticks: { callback: number } } } }),
    });
  }

  function compliance(canvas, chart, text) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.datasets.map(function (d) {
          return { label: d.label, data: d.data, urls: d.urls, shares: d.shares, backgroundColor: PALETTE[d.key], maxBarThickness: 28 };
        }),
      },
      options: common({
        indexAxis: "y",
        scales: {
          x: { stacked: true, min: 0, max: 100 },
          y: { stacked: true, ticks: { autoSkip: false } },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              label: function (c) { return c.dataset.label + ": " + c.dataset.shares[c.dataIndex] + "%"; },
              footer: function (items) {
                return items.length ? text.score + ": " + chart.scores[items[0].dataIndex] : "";
              },
            },
          },
        },
      }),
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    var charts = [];
    var canvas = document.getElementById("chart-monthly");
    if (canvas) charts.push(monthly(canvas, data.monthly));
    canvas = document.getElementById("chart-cities");
    if (canvas) charts.push(cities(canvas, data.cities));
    document.querySelectorAll("canvas[data-chart=compliance]").forEach(function (el) {
      charts.push(compliance(el, data.compliance[Number(el.dataset.index)], data.text));
    });
    window.dashboardCharts = charts; // for the browser tests: the charts that were drawn
  });
})();
