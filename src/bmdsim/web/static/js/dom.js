// Small DOM helpers. Every number the page shows is made by num(), which gives it the
// hover text that says where it comes from (a catalogue source or the computation).

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function num(text, source) {
  return el("span", { class: "num", title: source || "computed by bmdsim", "data-source": "1" }, text);
}

export function fmt(x, digits = 0) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  return Number(x).toLocaleString("en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function minutes(s) {
  if (s === null || s === undefined) return "–";
  return `${(s / 60).toFixed(1)} min`;
}

export function table(caption, headers, rows) {
  const head = el("tr", {}, headers.map((h) => el("th", { class: h.n ? "n" : undefined }, h.t ?? h)));
  const body = rows.map((r) => el("tr", {}, r.map((c, i) => el("td", { class: headers[i].n ? "n" : undefined }, c))));
  return el("table", {}, caption ? el("caption", {}, caption) : null, el("thead", {}, head), el("tbody", {}, body));
}

export function clear(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
}
