// Where each number comes from: catalogue quantities carry a source id, a band and a
// grade; computed numbers say which bmdsim analysis made them from which inputs.

const sources = new Map();

export function addSources(list) {
  for (const s of list) sources.set(s.id, s);
}

export function sourceText(id) {
  const s = sources.get(id);
  if (!s) return id ? `[${id}]` : "no source";
  const who = [s.author, s.year].filter(Boolean).join(" ");
  return `[${s.id}] ${who ? who + ". " : ""}${s.title || ""}${s.url ? " " + s.url : ""}`;
}

export function quantityText(label, q) {
  if (!q) return label;
  const band = q.low !== undefined && q.high !== undefined ? ` (band ${q.low}–${q.high} ${q.unit || ""})` : "";
  const grade = q.grade ? `; grade ${q.grade}` : "";
  const note = q.note ? `; ${q.note}` : "";
  return `${label}: ${q.value} ${q.unit || ""}${band}. Source: ${sourceText(q.source)}${grade}${note}`;
}

export function computed(what, missile) {
  const m = missile && missile.published_range
    ? ` Missile ${missile.id}: ${quantityText("published range", missile.published_range)}`
    : "";
  return `Computed by bmdsim ${what} (3-DoF point mass, WGS 84, US-1976 atmosphere; models calibrated to published ranges where internals are not public).${m}`;
}
