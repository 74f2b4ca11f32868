// Draws report.html's charts from the data the page embeds (#loadgate-data) with dygraphs, and
// writes what it drew into #loadgate-check, so that a test (and a curious reader) can see every
// chart's points and any error without screen-scraping.
(function () {
  "use strict";
  var errors = window.loadgateErrors || [];
  var data = JSON.parse(document.getElementById("loadgate-data").textContent);
  var drawn = {};

  // x = 1 / (1 − p): 1 → 0 %, 10 → 90 %, 1000 → 99.9 %.
  function percentLabel(x) {
    return String(parseFloat((100 * (1 - 1 / x)).toFixed(4))) + " %";
  }
  // One tick per nine: 0 %, 90 %, 99 %, 99.9 %, ...
  function percentTicks(min, max) {
    var ticks = [];
    for (var v = 1; v <= max * 1.0001; v *= 10) if (v >= min / 1.0001) ticks.push({ v: v, label: percentLabel(v) });
    return ticks;
  }

  data.charts.forEach(function (c) {
    var holder = document.getElementById("chart-" + c.id);
    if (typeof Dygraph === "undefined") {
      holder.textContent = "Charts need dygraphs: install libjs-dygraphs and run `loadgate report` on this folder.";
      return;
    }
    var options = {
      labels: c.labels,
      title: c.title,
      xlabel: c.xlabel,
      ylabel: c.ylabel,
      legend: "always",
      labelsSeparateLines: false,
      stackedGraph: !!c.stacked,
      fillGraph: !!c.stacked,
      drawPoints: c.data.length < 40,
      strokeWidth: 1.5,
      logscale: !!c.logy,
      axes: {}
    };
    if (c.x === "percentile") {
      options.axes.x = {
        logscale: true,
        ticker: percentTicks,
        valueFormatter: percentLabel,
        axisLabelFormatter: percentLabel
      };
    }
    var g = new Dygraph(holder, c.data, options);
    drawn[c.id] = { points: g.numRows(), series: g.numColumns() - 1, labels: g.getLabels() };
  });

  document.getElementById("loadgate-check").textContent = JSON.stringify({
    charts: drawn,
    expected: data.charts.map(function (c) { return { id: c.id, points: c.data.length }; }),
    errors: errors
  });
})();
