// Build the page of `bmdsim serve` into src/bmdsim/web/static/ (committed, so that
// `pip install` alone gives a working app): the page's own files from web/src/, and the
// parts of the npm packages it uses, vendored from node_modules (package-lock.json pins
// them). No CDN, no download at run time. Run: npm ci && npm run build.
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "bmdsim", "web", "static");
const nm = join(here, "node_modules");
const version = (pkg) => JSON.parse(readFileSync(join(nm, pkg, "package.json"), "utf8")).version;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(join(here, "src"), out, { recursive: true });

// CesiumJS: the prebuilt release, without what the page never loads (imagery and sky
// textures, 3D-tiles decoders, the ES-module copies of the library).
const cesium = join(nm, "cesium", "Build", "Cesium");
const vc = join(out, "vendor", "cesium");
mkdirSync(join(vc, "Assets"), { recursive: true });
cpSync(join(cesium, "Cesium.js"), join(vc, "Cesium.js"));
cpSync(join(cesium, "Workers"), join(vc, "Workers"), { recursive: true });
cpSync(join(cesium, "Widgets"), join(vc, "Widgets"), { recursive: true });
cpSync(join(cesium, "Assets", "approximateTerrainHeights.json"), join(vc, "Assets", "approximateTerrainHeights.json"));
cpSync(join(cesium, "Assets", "Images"), join(vc, "Assets", "Images"), { recursive: true });
cpSync(join(cesium, "Assets", "IAU2006_XYS"), join(vc, "Assets", "IAU2006_XYS"), { recursive: true });
cpSync(join(nm, "cesium", "LICENSE.md"), join(vc, "LICENSE.md"));

// Swagger UI for /docs (FastAPI's default page loads it from a CDN).
const sw = join(nm, "swagger-ui-dist");
const vs = join(out, "vendor", "swagger-ui");
mkdirSync(vs, { recursive: true });
for (const f of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"]) cpSync(join(sw, f), join(vs, f));

function size(p) {
  const s = statSync(p);
  return s.isDirectory() ? readdirSync(p).reduce((a, f) => a + size(join(p, f)), 0) : s.size;
}
const total = size(out);
writeFileSync(
  join(out, "BUILD.txt"),
  `Built by web/build.mjs from web/src and npm packages pinned in web/package-lock.json:\n` +
    `cesium ${version("cesium")} (Apache-2.0), swagger-ui-dist ${version("swagger-ui-dist")} (Apache-2.0)\n`,
);
console.log(`built ${out}: ${(total / 1e6).toFixed(2)} MB`);
