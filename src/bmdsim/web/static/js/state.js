// The view's state lives in the query string, so a URL shares a view: the missile, the
// launch point, the target, shape, sites, defences, cueing, the open tab, the scenario,
// 2-D or 3-D, and the camera.

const KEYS = ["m", "from", "to", "shape", "sites", "d", "cue", "tab", "scn", "view", "cam", "t"];

export function readState() {
  const q = new URLSearchParams(location.search);
  const s = {};
  for (const k of KEYS) if (q.has(k)) s[k] = q.get(k);
  return s;
}

let pending = null;
const current = readState();

export function setState(patch) {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined || v === "") delete current[k];
    else current[k] = String(v);
  }
  clearTimeout(pending);
  pending = setTimeout(() => {
    const q = new URLSearchParams();
    for (const k of KEYS) if (current[k] !== undefined) q.set(k, current[k]);
    const url = `${location.pathname}${q.toString() ? "?" + q.toString() : ""}`;
    history.replaceState(null, "", url);
  }, 150);
}

export function getState() {
  return { ...current };
}
