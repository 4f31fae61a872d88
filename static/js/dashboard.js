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

  // The page's one rule for numbers (outreach/numbers.py): counts with thousands separators; amounts in
  // 元 below 1万, 万元 from 1万, 亿元 from 1亿, two decimals; percentages with one decimal.
  var UNITS = { yuan: "元", wan: "万元", yi: "亿元" };  // replaced by the page's words (data.text.units)

  function number(value) {
    return Number(value).toLocaleString("en-US", { maximumFractionDigits: 1 });
  }

  function amount(value) {
    var n = Number(value), size = Math.abs(n);
    var two = { minimumFractionDigits: 2, maximumFractionDigits: 2 };
    if (Math.round(size * 100) < 1000000) return n.toLocaleString("en-US", two) + " " + UNITS.yuan;
    if (Math.round(size / 100) < 100000000) return (n / 10000).toLocaleString("en-US", two) + " " + UNITS.wan;
    return (n / 100000000).toLocaleString("en-US", two) + " " + UNITS.yi;
  }

  function share(value) {
    return Number(value).toFixed(1) + "%";
  }

  function formatter(datasets) {  // amounts if the chart shows amounts, else counts
    return datasets.some(function (d) { return d.kind === "money"; }) ? amount : number;
  }

  function tooltip(format) {
    return { callbacks: { label: function (c) { return c.dataset.label + ": " + format(c.parsed.y); } } };
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
    var format = formatter(data.datasets);
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (d) {
          return { label: d.label, data: d.data, urls: d.urls, stack: d.stack, kind: d.kind, backgroundColor: PALETTE[d.key] };
        }),
      },
      options: common({
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { callback: format } },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: tooltip(format),
        },
      }),
    });
  }

  function cities(canvas, data) {
    var format = formatter(data.datasets);
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (d, i) {
          return { label: d.label, data: d.data, urls: d.urls, kind: d.kind, backgroundColor: CITY_COLOURS[i % CITY_COLOURS.length] };
        }),
      },
      options: common({
        scales: { y: { beginAtZero: true, ticks: { callback: format } } },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } }, tooltip: tooltip(format) },
      }),
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
              label: function (c) { return c.dataset.label + ": " + share(c.dataset.shares[c.dataIndex]); },
              footer: function (items) {
                return items.length ? text.score + ": " + Number(chart.scores[items[0].dataIndex]).toFixed(1) : "";
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
    if (data.text && data.text.units) UNITS = data.text.units;
    window.dashboardFormat = { number: number, amount: amount, share: share }; // for the browser tests
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
