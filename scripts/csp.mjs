// Add a Content-Security-Policy to every page of a built site (default: dist/). Framework emits inline
// scripts (the page's cell definitions, the sidebar toggle); instead of allowing every inline script we
// allow exactly these, by their SHA-256 hashes, so an injected <script> or event handler cannot run.
// No other origin is allowed anywhere: data stay in the browser (connect-src 'self' blob:; uploads are
// read through blob: URLs). The policy goes in a <meta http-equiv> tag so it works on any static host.
import {createHash} from "node:crypto";
import {readFileSync, readdirSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";

// htl (used by Observable Inputs) parses its templates with placeholder attributes such as
// oninput="::3" before replacing them with function properties; Chromium checks those placeholder
// handlers against the policy as the template is parsed. 'unsafe-hashes' with the hashes of exactly these
// inert placeholder strings ("::0" … "::99", which are not even valid JavaScript) allows them and nothing
// else: an injected handler such as onerror="alert(1)" still has no matching hash and is blocked.
export const HTL_PLACEHOLDER_HASHES = Array.from({length: 100}, (_, i) => sha256(`::${i}`));

function sha256(text) {
  return createHash("sha256").update(text, "utf8").digest("base64");
}

export function policy(scriptHashes) {
  const hashes = [...scriptHashes, ...HTL_PLACEHOLDER_HASHES].map((h) => `'sha256-${h}'`).join(" ");
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-hashes' ${hashes}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self' blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'"
  ].join("; ");
}

export function applyCsp(html) {
  if (html.includes('http-equiv="Content-Security-Policy"')) return html;
  const hashes = [];
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    hashes.push(sha256(m[1]));
  }
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy([...new Set(hashes)])}">`;
  return html.replace(/<meta charset="utf-8">/i, (m) => `${m}\n${meta}`);
}

function htmlFiles(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? htmlFiles(p) : p.endsWith(".html") ? [p] : [];
  });
}

const dir = process.argv[2] ?? "dist";
const files = htmlFiles(dir);
for (const file of files) writeFileSync(file, applyCsp(readFileSync(file, "utf8")));
console.log(`csp: ${files.length} page(s) in ${dir} carry a Content-Security-Policy`);
