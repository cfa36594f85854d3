import { defineConfig } from "vitest/config";

// The server embeds console/dist at compile time (build.rs) and serves it with a strict
// content-security policy, so the build must be a small, known set of files with stable names:
// index.html, assets/index.js, assets/index.css and the lazily loaded base map chunk. Images
// Leaflet's CSS names are tiny and inlined as data: URLs (allowed by the policy's img-src).
//
// `npm run dev` proxies the API (gRPC-Web POSTs to /freight.v1.*) to a running server, by
// default the release binary at 127.0.0.1:50071 (override with FREIGHT_SERVER).
const server = process.env.FREIGHT_SERVER ?? "http://127.0.0.1:50071";

export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    assetsInlineLimit: 8192,
    modulePreload: { polyfill: false },
    rollupOptions: {
      output: {
        entryFileNames: "assets/[name].js",
        chunkFileNames: "assets/[name].js",
        assetFileNames: "assets/[name][extname]",
      },
    },
  },
  server: {
    proxy: {
      "^/freight\\.v1\\..*": { target: server, changeOrigin: false },
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
