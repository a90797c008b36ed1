// Talking to the server: every request goes to this origin's /api (nothing else is
// ever fetched). Errors come back as one line that names the field.

export class ApiError extends Error {
  constructor(message, status, detail) {
    super(message);
    this.status = status;
    this.detail = detail;
  }
}

function describe(detail, status) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail) && detail.length) {
    return detail
      .map((d) => {
        const loc = (d.loc || []).filter((x) => x !== "body" && x !== "path" && x !== "query");
        const where = d.line ? `line ${d.line}: ` : loc.length ? `${loc.join(".")}: ` : "";
        return where + (d.msg || JSON.stringify(d));
      })
      .join("; ");
  }
  return `HTTP ${status}`;
}

async function handle(resp) {
  const type = resp.headers.get("content-type") || "";
  const body = type.includes("json") ? await resp.json() : await resp.text();
  if (!resp.ok) {
    const detail = body && body.detail !== undefined ? body.detail : body;
    throw new ApiError(describe(detail, resp.status), resp.status, detail);
  }
  return body;
}

export async function get(path) {
  return handle(await fetch(path, { headers: { accept: "application/json" } }));
}

export async function post(path, data) {
  return handle(
    await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(data ?? {}),
    }),
  );
}

export async function postBlob(path, data) {
  const resp = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(data),
  });
  if (!resp.ok) return handle(resp);
  return resp.blob();
}
