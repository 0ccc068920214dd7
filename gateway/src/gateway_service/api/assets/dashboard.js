// The dashboard's charts, drawn with Chart.js (served by the gateway) from the figures each page puts in a
// <script type="application/json"> block: no inline script, so the pages keep a strict Content-Security-Policy.
// A null figure is a suppressed cell: a gap in the chart, "suppressed" in the table next to it, never 0.
"use strict";

(function () {
  function formatter(unit, lang) {
    const locale = lang === "en" ? "en-GB" : "fr-FR";
    if (unit === "rate") {
      const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
      return (value) => number.format(value) + " %";
    }
    if (unit === "euros") {
      const money = new Intl.NumberFormat(locale, { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
      return (value) => money.format(value);
    }
    const count = new Intl.NumberFormat(locale);
    return (value) => count.format(value);
  }

  const PALETTE = ["#00205b", "#e1000f", "#3a8fd1", "#f2a900", "#5d9c3b", "#8c4799", "#7a7a7a", "#00a3a6"];

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") return;
    const figure = JSON.parse(source.textContent);
    const format = formatter(figure.unit, figure.lang);
    const datasets = figure.datasets.map((set, index) => ({
      label: set.label,
      data: set.data,
      backgroundColor: PALETTE[index % PALETTE.length],
      borderColor: PALETTE[index % PALETTE.length],
      spanGaps: false,
    }));
    if (figure.reference !== null) {
      datasets.push({
        type: "line",
        label: figure.referenceLabel,
        data: figure.labels.map(() => figure.reference),
        borderColor: "#e1000f",
        borderDash: [6, 4],
        pointRadius: 0,
        fill: false,
      });
    }
    new Chart(canvas, {
      type: figure.type,
      data: { labels: figure.labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: { stacked: figure.stacked },
          y: { stacked: figure.stacked, beginAtZero: true, ticks: { callback: (value) => format(value) } },
        },
        plugins: {
          tooltip: { callbacks: { label: (item) => item.dataset.label + " : " + format(item.parsed.y) } },
        },
      },
    });
    canvas.dataset.drawn = "true";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
    document.documentElement.dataset.chartsReady = "true";
  });
})();
