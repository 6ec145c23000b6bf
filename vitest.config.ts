import {fileURLToPath} from "node:url";
import {defineConfig} from "vitest/config";

const nodeModules = fileURLToPath(new URL("./node_modules/", import.meta.url));

export default defineConfig({
  resolve: {
    // Components import client libraries as `npm:<name>` (what Framework serves from its primed
    // cache); under vitest the same specifier resolves to the locked package in node_modules.
    alias: [{find: /^npm:(.*)$/, replacement: `${nodeModules}$1`}]
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 300_000
  }
});
