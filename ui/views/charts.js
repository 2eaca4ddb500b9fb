// Charts for the Statistics page, drawn by Chart.js (vendored in ui/vendor/chartjs, loaded the
// first time a chart is needed): readable CJK labels in the app's font, tooltips with the exact
// value, no animation (what is drawn is what gets saved), a white background so a saved PNG
// looks as it did on screen.

let loading = null;
const charts = new Map();

/** Loads Chart.js once; false when it cannot be loaded (the tables still show every number). */
export function loadChart() {
  if (window.Chart) return Promise.resolve(true);
  loading ??= new Promise((resolve) => {
    const s = document.createElement('script');
    s.src = 'vendor/chartjs/chart.umd.min.js';
    s.onload = () => {
      const C = window.Chart;
      C.defaults.font.family = getComputedStyle(document.body).fontFamily;
      C.defaults.animation = false;
      C.defaults.maintainAspectRatio = false;
      C.register({
        id: 'whiteBackground',
        beforeDraw(chart) {
          const { ctx, width, height } = chart;
          ctx.save();
          ctx.globalCompositeOperation = 'destination-over';
          ctx.fillStyle = '#fff';
          ctx.fillRect(0, 0, width, height);
          ctx.restore();
        },
      });
      resolve(true);
    };
    s.onerror = () => resolve(false);
    document.head.append(s);
  });
  return loading;
}

/**
 * Draws (or redraws) the chart on canvas `#canvas-<id>`: `datasets` are
 * `{label, data, colour}` (one colour) or `{label, data, colours}` (one per bar).
 */
export function drawChart(id, type, labels, datasets) {
  const canvas = document.getElementById(`canvas-${id}`);
  if (!canvas || !window.Chart) return;
  charts.get(id)?.destroy();
  charts.set(
    id,
    new window.Chart(canvas, {
      type,
      data: {
        labels,
        datasets: datasets.map((d) => ({
          label: d.label,
          data: d.data,
          borderColor: d.colours ?? d.colour,
          backgroundColor: d.colours ?? d.colour,
          spanGaps: false,
          tension: 0.2,
          pointRadius: 3,
        })),
      },
      options: {
        responsive: true,
        interaction: { mode: 'index', intersect: false },
        plugins: { legend: { display: datasets.length > 1, position: 'bottom' } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    }),
  );
}

/** Forgets the charts of a page about to be redrawn. */
export function destroyCharts() {
  for (const c of charts.values()) c.destroy();
  charts.clear();
}
