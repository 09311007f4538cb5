#!/usr/bin/env node
// Copy the front-end libraries the portal serves from node_modules into build/.
//
//   npm ci --no-audit --no-fund && node scripts/build_assets.mjs
//
// build/static/vendor/ is one of Django's STATICFILES_DIRS, so collectstatic and the development
// server pick the files up from there; build/axe/ holds axe-core for the browser tests only and
// is never served; build/fonts/ holds the TrueType fonts the server embeds in the Official
// Gazette PDFs (vgp/gazette/pdf.py) and is never served either. Library code is never
// committed: this script is the only way it reaches the site. No bundler is needed: the portal
// uses htmx as a plain <script defer>, the ALTCHA widget as one ES module, and one web font.
//
// Idempotent: each run deletes the directories it owns and writes them again, so running it
// twice gives the same tree.

import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const NODE_MODULES = join(ROOT, "node_modules");
const VENDOR = join(ROOT, "build", "static", "vendor");
const AXE = join(ROOT, "build", "axe");
const FONTS = join(ROOT, "build", "fonts");

// The font: only the weights the site's CSS uses, only the subsets Vietnamese and English need.
const FONT_PACKAGE = "@fontsource/be-vietnam-pro";
const FONT_FAMILY_SLUG = "be-vietnam-pro";
const FONT_WEIGHTS = [400, 700];
const FONT_SUBSETS = ["latin", "vietnamese"];

// The gazette PDF font: a serif with full Vietnamese coverage, as static TrueType files because
// reportlab embeds .ttf only (no woff2, no variable fonts). Fontsource ships woff2 only, so this
// comes from the Expo packaging of the same Google Fonts family.
const PDF_FONT_PACKAGE = "@expo-google-fonts/noto-serif";
const PDF_FONT_FAMILY_SLUG = "noto-serif";
const PDF_FONT_FILES = [
  "400Regular/NotoSerif_400Regular.ttf",
  "700Bold/NotoSerif_700Bold.ttf",
  "400Regular_Italic/NotoSerif_400Regular_Italic.ttf",
  "700Bold_Italic/NotoSerif_700Bold_Italic.ttf",
];

const require = createRequire(import.meta.url);

function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`, { paths: [ROOT] }));
  } catch (error) {
    if (error.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw error;
  }
  // A package whose "exports" hides its package.json (altcha): resolve its entry point and
  // walk up to the directory whose package.json carries its name.
  let dir = dirname(require.resolve(name, { paths: [ROOT] }));
  while (dir !== dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === name) {
      return dir;
    }
    dir = dirname(dir);
  }
  throw new Error(`${name}: package directory not found`);
}

function packageVersion(name) {
  return JSON.parse(readFileSync(join(packageDir(name), "package.json"), "utf8")).version;
}

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  console.log(`  ${relative(ROOT, to)}`);
}

function buildHtmx() {
  const dir = packageDir("htmx.org");
  const out = join(VENDOR, "htmx");
  copy(join(dir, "dist", "htmx.min.js"), join(out, "htmx.min.js"));
  copy(join(dir, "LICENSE"), join(out, "LICENSE"));
}

// The proof-of-work widget of the public feedback forms (<altcha-widget>, vgp/feedback): the
// self-contained ES module build, which carries its styles and its hashing workers, so the page
// needs one <script type="module"> and no bundler.
function buildAltcha() {
  const dir = packageDir("altcha");
  const out = join(VENDOR, "altcha");
  copy(join(dir, "dist", "main", "altcha.min.js"), join(out, "altcha.min.js"));
  copy(join(dir, "LICENSE.txt"), join(out, "LICENSE"));
}

// The charts of the public feedback statistics (vgp/feedback/static/feedback/statistics.js):
// Chart.js's UMD build, which bundles its one dependency and defines window.Chart, so the page
// needs one plain <script defer> and no bundler.
function buildChartJs() {
  const dir = packageDir("chart.js");
  const out = join(VENDOR, "chartjs");
  copy(join(dir, "dist", "chart.umd.min.js"), join(out, "chart.umd.min.js"));
  copy(join(dir, "LICENSE.md"), join(out, "LICENSE"));
}

// Fontsource's per-weight CSS (e.g. 400.css) holds one @font-face per subset, each preceded by
// a comment naming it ("/* be-vietnam-pro-vietnamese-400-normal */") and carrying the
// unicode-range that lets the browser fetch only the subsets a page's text needs.
const FACE_RULE = /\/\*\s*([a-z0-9-]+)-(\d+)-(normal|italic)\s*\*\/\s*(@font-face\s*\{[^}]*\})/g;

function buildFont() {
  const dir = packageDir(FONT_PACKAGE);
  const out = join(VENDOR, FONT_FAMILY_SLUG);
  const faces = [];
  const files = new Set();
  for (const weight of FONT_WEIGHTS) {
    const css = readFileSync(join(dir, `${weight}.css`), "utf8");
    for (const [, name, , style, rule] of css.matchAll(FACE_RULE)) {
      const subset = name.slice(FONT_FAMILY_SLUG.length + 1);
      if (style !== "normal" || !FONT_SUBSETS.includes(subset)) continue;
      // Every browser the portal supports reads woff2: drop the woff fallback and its file.
      const woff2Only = rule.replace(/,\s*url\([^)]*\.woff\)\s*format\('woff'\)/g, "");
      for (const [, file] of woff2Only.matchAll(/url\(\.\/files\/([^)]+\.woff2)\)/g)) {
        files.add(file);
      }
      faces.push(`/* ${name}-${weight}-${style} */\n${woff2Only}`);
    }
  }
  const expected = FONT_WEIGHTS.length * FONT_SUBSETS.length;
  if (faces.length !== expected) {
    throw new Error(
      `${FONT_PACKAGE}: found ${faces.length} @font-face rules, expected ${expected}; ` +
        "has the package changed its CSS layout?",
    );
  }
  const header =
    `/* ${FONT_PACKAGE} ${packageVersion(FONT_PACKAGE)} (SIL OFL 1.1), ` +
    `weights ${FONT_WEIGHTS.join(", ")}, subsets ${FONT_SUBSETS.join(", ")}. ` +
    "Generated by scripts/build_assets.mjs. */\n";
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${FONT_FAMILY_SLUG}.css`), header + faces.join("\n\n") + "\n");
  console.log(`  ${relative(ROOT, join(out, `${FONT_FAMILY_SLUG}.css`))}`);
  // The CSS keeps its relative urls (./files/...): the files sit beside it as in the package.
  for (const file of [...files].sort()) {
    copy(join(dir, "files", file), join(out, "files", file));
  }
  copy(join(dir, "LICENSE"), join(out, "LICENSE"));
}

function buildPdfFont() {
  const dir = packageDir(PDF_FONT_PACKAGE);
  const out = join(FONTS, PDF_FONT_FAMILY_SLUG);
  for (const file of PDF_FONT_FILES) {
    copy(join(dir, file), join(out, basename(file)));
  }
  // LICENSE is the package's own (MIT, for its JavaScript); LICENSE_FONT is the fonts' SIL OFL.
  copy(join(dir, "LICENSE_FONT"), join(out, "OFL.txt"));
}

function buildAxe() {
  const dir = packageDir("axe-core");
  copy(join(dir, "axe.min.js"), join(AXE, "axe.min.js"));
  copy(join(dir, "LICENSE"), join(AXE, "LICENSE"));
}

function main() {
  rmSync(VENDOR, { recursive: true, force: true });
  rmSync(AXE, { recursive: true, force: true });
  rmSync(FONTS, { recursive: true, force: true });
  console.log("Building front-end assets:");
  buildHtmx();
  buildAltcha();
  buildChartJs();
  buildFont();
  buildPdfFont();
  buildAxe();
  const packages = ["htmx.org", "altcha", "chart.js", FONT_PACKAGE, PDF_FONT_PACKAGE, "axe-core"];
  const versions = Object.fromEntries(packages.map((name) => [name, packageVersion(name)]));
  writeFileSync(join(VENDOR, "versions.json"), JSON.stringify(versions, null, 2) + "\n");
  console.log(`Done: ${Object.entries(versions).map(([n, v]) => `${n}@${v}`).join(", ")}`);
}

main();
