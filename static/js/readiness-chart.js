/* Readiness per tatanan as a horizontal bar chart (Chart.js, served from our own static files).
 *
 * Reads the JSON that the page puts in <script id="readiness-data"> (Django's json_script):
 *   {labels: [...], codes: [...], percents: [...], thresholds: [{label, value}, ...]}
 * and draws it into <canvas id="readiness-chart">. The same numbers are in the table beside the
 * chart, so nothing is lost when this script or Chart.js does not load.
 *
 * Tier bands (docs/DOMAIN.md, "Scores and award tiers"): a tier's minimum score starts a band; tiers
 * with the same minimum (Wistara and Wistara Paripurna, 91 %) share one band and one label. Each bar
 * takes the colour of the band its % reaches, and the list <ul id="readiness-legend"> says which
 * colour is which band. The tiers' names sit above the chart, one row each where they would touch,
 * so none overlaps another or runs off the canvas, on a desktop as on a 390 px phone.
 */
(function () {
  "use strict";
  var canvas = document.getElementById("readiness-chart");
  var source = document.getElementById("readiness-data");
  if (!canvas || !source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var legend = document.getElementById("readiness-legend");

  // Below the lowest tier, then one colour per band, lighter to darker (told apart by lightness
  // too, not by hue alone). More bands than colours keep the darkest.
  var BELOW = "#ffc107";
  var BAND_COLOURS = ["#a3cfbb", "#20c997", "#146c43", "#0a3622"];
  var ROW = 14; // px, one row of tier names
  var FONT = "11px system-ui, sans-serif";

  function percentText(value) {
    return value.toLocaleString("id-ID", { maximumFractionDigits: 2 }) + " %";
  }

  // The bands: thresholds grouped by value, ascending.
  var bands = [];
  data.thresholds
    .slice()
    .sort(function (a, b) { return a.value - b.value; })
    .forEach(function (t) {
      var last = bands[bands.length - 1];
      if (last && last.value === t.value) {
        last.names.push(t.label);
      } else {
        bands.push({ value: t.value, names: [t.label] });
      }
    });
  bands.forEach(function (band, i) {
    band.label = band.names.join(" / ");
    band.colour = BAND_COLOURS[Math.min(i, BAND_COLOURS.length - 1)];
  });

  function bandOf(value) {
    var reached = null;
    bands.forEach(function (band) {
      if (value >= band.value) reached = band;
    });
    return reached;
  }

  function colour(value) {
    var band = bandOf(value);
    return band ? band.colour : BELOW;
  }

  // 40 px a tatanan plus the rows of tier names (the box's CSS keeps at least 160 px); set here,
  // as the CSP allows no style="".
  var box = canvas.parentNode;
  var rows = parseInt(box.getAttribute("data-rows"), 10);
  var labelRows = bands.length;
  if (rows > 0) {
    box.style.height = rows * 40 + labelRows * ROW + 24 + "px";
  }

  function fillLegend() {
    if (!legend) return;
    var items = [];
    if (bands.length) {
      items.push({ colour: BELOW, text: (legend.getAttribute("data-below") || "") + " (< " + percentText(bands[0].value) + ")" });
    }
    bands.forEach(function (band) {
      items.push({ colour: band.colour, text: band.label + " (≥ " + percentText(band.value) + ")" });
    });
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "list-inline-item me-3";
      var swatch = document.createElement("span");
      swatch.setAttribute("aria-hidden", "true");
      swatch.style.display = "inline-block";
      swatch.style.width = "0.9em";
      swatch.style.height = "0.9em";
      swatch.style.marginRight = "0.3em";
      swatch.style.verticalAlign = "-0.1em";
      swatch.style.border = "1px solid #6c757d";
      swatch.style.backgroundColor = item.colour;
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(item.text));
      li.setAttribute("data-colour", item.colour);
      legend.appendChild(li);
    });
    legend.hidden = items.length === 0;
  }

  // The tiers' minimum scores as dashed vertical lines, their names above the chart area: each name
  // right of its line, or left of it where it would run off the canvas, in the lowest row where it
  // touches no other name. The boxes are kept on the chart ($tierLabels) for the browser tests.
  var thresholdLines = {
    id: "thresholdLines",
    afterDatasetsDraw: function (chart) {
      var x = chart.scales.x;
      var area = chart.chartArea;
      var ctx = chart.ctx;
      var placed = [];
      ctx.save();
      ctx.font = FONT;
      ctx.textBaseline = "alphabetic";
      bands.forEach(function (band) {
        var px = x.getPixelForValue(band.value);
        var width = ctx.measureText(band.label).width;
        var left = px + 3;
        if (left + width > chart.width - 2) left = px - 3 - width;
        left = Math.max(0, left);
        var row = 0;
        for (; row < labelRows; row++) {
          var free = placed.every(function (p) {
            return p.row !== row || left + width + 6 <= p.x || p.x + p.width + 6 <= left;
          });
          if (free) break;
        }
        var baseline = area.top - 4 - row * ROW;
        placed.push({ text: band.label, x: left, y: baseline - ROW + 3, width: width, height: ROW - 2, row: row, line: px, baseline: baseline });
      });
      // The lines first, each up to its name; then the names on the page's own ground, so a line passing
      // behind another tier's name never crosses its letters.
      ctx.strokeStyle = "#6c757d";
      ctx.setLineDash([4, 4]);
      placed.forEach(function (p) {
        ctx.beginPath();
        ctx.moveTo(p.line, p.y + 2);
        ctx.lineTo(p.line, area.bottom);
        ctx.stroke();
      });
      var ground = window.getComputedStyle(document.body).backgroundColor || "#ffffff";
      placed.forEach(function (p) {
        ctx.fillStyle = ground;
        ctx.fillRect(p.x - 1, p.y, p.width + 2, p.height);
        ctx.fillStyle = "#212529";
        ctx.fillText(p.text, p.x, p.baseline);
      });
      ctx.restore();
      chart.$tierLabels = placed;
    },
  };

  fillLegend();
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        {
          label: "%",
          data: data.percents,
          backgroundColor: data.percents.map(colour),
          borderColor: "#495057",
          borderWidth: 1,
        },
      ],
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { top: labelRows * ROW + 4, right: 8 } },
      scales: {
        x: { min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } },
        y: {
          ticks: {
            // A phone has no room for "PSR – Pasar Sehat": the code only (the table has the names).
            callback: function (value, index) {
              var narrow = this.chart.width < 576;
              return narrow && data.codes ? data.codes[index] : data.labels[index];
            },
          },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: function (item) {
              var band = bandOf(item.parsed.x);
              return percentText(item.parsed.x) + (band ? " · " + band.label : "");
            },
          },
        },
      },
    },
    plugins: [thresholdLines],
  });
})();
