// Charts of the public feedback statistics (feedback/statistics.html), drawn with Chart.js.
//
// The page's table is the content and works without JavaScript; this script draws three
// charts over the same figures, which the page carries as JSON (json_script, element
// "feedback-statistics-data"), with the words around them already in the page's language. The
// charts' section stays hidden unless Chart.js (vendor/chartjs/chart.umd.min.js, loaded just
// before this file, both deferred) has defined window.Chart. Each canvas has role="img" and an
// aria-label that summarises it and names the table.

(function () {
  "use strict";

  const DATA_ID = "feedback-statistics-data";
  const SECTION_ID = "feedback-statistics-charts";

  function cssColour(name, fallback) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function draw() {
    const source = document.getElementById(DATA_ID);
    const section = document.getElementById(SECTION_ID);
    if (!source || !section || typeof window.Chart !== "function") return;
    const data = JSON.parse(source.textContent);
    const text = data.text;
    // Colours of the site (each at least 3:1 against white, as graphics need).
    const blue = cssColour("--vgp-link", "#0b4a8b");
    const red = cssColour("--vgp-red", "#a50f15");
    const grey = cssColour("--vgp-muted", "#4a4a4a");
    const integer = new Intl.NumberFormat(data.locale, { maximumFractionDigits: 0 });
    const decimal = new Intl.NumberFormat(data.locale, { maximumFractionDigits: 1 });

    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = cssColour("--vgp-text", "#1b1b1b");
    // Charts are pictures of the table: no animation, for people who get motion sickness and
    // for print.
    window.Chart.defaults.animation = false;

    function axes(stacked, title, format) {
      return {
        x: { stacked: stacked, title: { display: true, text: text.months } },
        y: {
          stacked: stacked,
          beginAtZero: true,
          title: { display: true, text: title },
          ticks: { precision: 0, callback: (value) => format.format(value) },
        },
      };
    }

    function options(stacked, title, format) {
      return {
        responsive: true,
        aspectRatio: 2.2,
        locale: data.locale,
        scales: axes(stacked, title, format),
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: (item) =>
                `${item.dataset.label}: ${item.raw === null ? "–" : format.format(item.raw)}`,
            },
          },
        },
      };
    }

    section.hidden = false;

    new window.Chart(document.getElementById("chart-received"), {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: text.received, data: data.received, backgroundColor: blue },
          { label: text.answered, data: data.answered, backgroundColor: grey },
        ],
      },
      options: options(false, text.count, integer),
    });

    new window.Chart(document.getElementById("chart-timeliness"), {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: text.on_time, data: data.on_time, backgroundColor: blue, stack: "items" },
          { label: text.overdue, data: data.overdue, backgroundColor: red, stack: "items" },
        ],
      },
      options: options(true, text.count, integer),
    });

    const median = options(false, text.days, decimal);
    median.scales.y.ticks.precision = 1;
    new window.Chart(document.getElementById("chart-median"), {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          {
            label: text.median_days,
            data: data.median_days,
            borderColor: blue,
            backgroundColor: blue,
            spanGaps: false,
            pointRadius: 4,
          },
        ],
      },
      options: median,
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
