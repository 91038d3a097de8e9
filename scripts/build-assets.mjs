// Build AnchorNet's front-end assets from GOV.UK Frontend.
//
//   npm run build
//
// 1. Compiles static/scss/anchornet.scss to static/css/anchornet.css (compressed,
//    no source map), resolving `pkg:govuk-frontend/...` through node_modules.
// 2. Copies GOV.UK Frontend's ES module bundle to static/js/govuk-frontend.min.js.
//
// The compiled files are committed, so deploying Django needs no Node.js.
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scssIn = join(root, "static/scss/anchornet.scss");
const cssOut = join(root, "static/css/anchornet.css");
const jsIn = join(root, "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js");
const jsOut = join(root, "static/js/govuk-frontend.min.js");

// GDS Transport may only be used on GOV.UK: fail the build if it sneaks back in.
const FORBIDDEN = [/GDS Transport/i, /\.woff2?\b/i, /govuk-crest/i];

function report(file, bytes) {
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  console.log(`${relative(root, file)}: ${bytes.length} bytes, ${gzipped} gzipped`);
}

async function buildCss() {
  const result = sass.compile(scssIn, {
    style: "compressed",
    sourceMap: false,
    charset: true,
    importers: [new sass.NodePackageImporter(root)],
    loadPaths: [join(root, "node_modules")],
    // GOV.UK Frontend's own deprecation warnings are not ours to fix.
    quietDeps: true,
  });
  const css = result.css + "\n";
  for (const pattern of FORBIDDEN) {
    if (pattern.test(css)) {
      throw new Error(`${relative(root, cssOut)} must not contain ${pattern}`);
    }
  }
  await mkdir(dirname(cssOut), { recursive: true });
  await writeFile(cssOut, css);
  report(cssOut, Buffer.from(css));
}

async function copyJs() {
  // Drop the sourceMappingURL comment: we do not ship the map, and Django's
  // ManifestStaticFilesStorage fails collectstatic on a reference to a missing file.
  const js = (await readFile(jsIn, "utf8")).replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
  await mkdir(dirname(jsOut), { recursive: true });
  await writeFile(jsOut, js);
  report(jsOut, Buffer.from(js));
}

await buildCss();
await copyJs();
