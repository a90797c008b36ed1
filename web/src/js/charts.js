// Line charts in SVG (no chart library): the altitude and speed profiles of a flight,
// with a cursor at the time slider's time.

const NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, text) {
  const n = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  if (text !== undefined) n.textContent = text;
  return n;
}

function ticks(lo, hi, n = 5) {
  const span = hi - lo || 1;
  const step0 = span / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= n) || 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(+v.toFixed(10));
  return out;
}

// xs, ys: arrays; opts: {title, xLabel, yLabel, colour, source}
export function lineChart(xs, ys, opts) {
  const W = 340;
  const H = 150;
  const m = { l: 44, r: 8, t: 18, b: 28 };
  const pts = xs.map((x, i) => [x, ys[i]]).filter(([x, y]) => x !== null && y !== null);
  const xmin = Math.min(...pts.map((p) => p[0]));
  const xmax = Math.max(...pts.map((p) => p[0]));
  const ymin = Math.min(0, ...pts.map((p) => p[1]));
  const ymax = Math.max(...pts.map((p) => p[1])) * 1.05 || 1;
  const sx = (x) => m.l + ((x - xmin) / (xmax - xmin || 1)) * (W - m.l - m.r);
  const sy = (y) => H - m.b - ((y - ymin) / (ymax - ymin || 1)) * (H - m.t - m.b);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": opts.title });
  const title = svg("title", {}, `${opts.title}. ${opts.source || ""}`);
  root.append(title);
  root.append(svg("text", { x: m.l, y: 12, "font-weight": "600" }, opts.title));
  root.append(svg("line", { class: "axis", x1: m.l, y1: H - m.b, x2: W - m.r, y2: H - m.b }));
  root.append(svg("line", { class: "axis", x1: m.l, y1: m.t, x2: m.l, y2: H - m.b }));
  for (const t of ticks(xmin, xmax)) {
    root.append(svg("text", { x: sx(t), y: H - m.b + 12, "text-anchor": "middle" }, String(t)));
  }
  for (const t of ticks(ymin, ymax, 4)) {
    root.append(svg("text", { x: m.l - 4, y: sy(t) + 3, "text-anchor": "end" }, String(t)));
    root.append(svg("line", { x1: m.l, x2: W - m.r, y1: sy(t), y2: sy(t), stroke: "#eee" }));
  }
  root.append(svg("text", { x: W - m.r, y: H - 2, "text-anchor": "end" }, opts.xLabel));
  const d = pts.map(([x, y], i) => `${i ? "L" : "M"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join("");
  root.append(svg("path", { class: "line", d, stroke: opts.colour || "#be123c" }));
  const cursor = svg("line", { class: "cursor", x1: m.l, x2: m.l, y1: m.t, y2: H - m.b });
  root.append(cursor);
  root.setCursor = (x) => {
    const px = sx(Math.min(Math.max(x, xmin), xmax));
    cursor.setAttribute("x1", px);
    cursor.setAttribute("x2", px);
  };
  return root;
}
