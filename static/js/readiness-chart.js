/* Readiness per tatanan as a horizontal bar chart (Chart.js, served from our own static files).
 *
 * Reads the JSON that the page puts in <script id="readiness-data"> (Django's json_script):
 *   {labels: [...], codes: [...], percents: [...], thresholds: [{label, value}, ...]}
 * and draws it into <canvas id="readiness-chart">. The same numbers are in the table beside the
 * chart, so nothing is lost when this script or Chart.js does not load.
 */
(function () {
  "use strict";
  var canvas = document.getElementById("readiness-chart");
  var source = document.getElementById("readiness-data");
  if (!canvas || !source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  // 40 px a tatanan (the box's CSS keeps at least 160 px); set here, as the CSP allows no style="".
  var box = canvas.parentNode;
  var rows = parseInt(box.getAttribute("data-rows"), 10);
  if (rows > 0) {
    box.style.height = rows * 40 + "px";
  }
  var lowest = data.thresholds.length ? data.thresholds[0].value : null;

  function colour(value) {
    // Below the lowest tier's minimum: warning; at or above it: success (Bootstrap's palette).
    if (lowest === null) return "#198754";
    return value >= lowest ? "#198754" : "#ffc107";
  }

  // The tiers' minimum scores as vertical lines, drawn after the bars.
  var thresholdLines = {
    id: "thresholdLines",
    afterDatasetsDraw: function (chart) {
      var x = chart.scales.x;
      var area = chart.chartArea;
      var ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = "#6c757d";
      ctx.fillStyle = "#495057";
      ctx.setLineDash([4, 4]);
      ctx.font = "11px system-ui, sans-serif";
      data.thresholds.forEach(function (t) {
        var px = x.getPixelForValue(t.value);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.fillText(t.label, px + 3, area.top + 10);
      });
      ctx.restore();
    },
  };

  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        {
          label: "%",
          data: data.percents,
          backgroundColor: data.percents.map(colour),
        },
      ],
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } } },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: function (item) {
              return item.parsed.x.toLocaleString("id-ID") + " %";
            },
          },
        },
      },
    },
    plugins: [thresholdLines],
  });
})();
