/**
 * Running `bench/jobs.ts` in headless Chromium: bundle `bench/browser/worker.ts` with
 * `deno bundle`, serve it with a blank page and tfjs's `.wasm` files on loopback, and start one
 * Web Worker per backend (WebGL through OffscreenCanvas, as in the demo's worker).
 *
 * @module
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { CHROMIUM_ARGS, findChromium } from "../tests/browser/chromium.ts";
import type { Job } from "./jobs.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

/**
 * The Chromium to use: found on the machine, else installed with `apt-get install -y chromium`
 * when this process may (root), else undefined with the reason.
 *
 * @returns The executable path, or the reason there is none.
 */
export async function ensureChromium(): Promise<{ path?: string; reason: string }> {
  const found = findChromium();
  if (found) return { path: found, reason: `found ${found}` };
  try {
    const out = await new Deno.Command("apt-get", {
      args: ["install", "-y", "chromium"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const installed = findChromium();
    if (out.success && installed) return { path: installed, reason: "installed with apt-get" };
    return {
      reason: `apt-get install -y chromium failed: ${
        new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)
      }`,
    };
  } catch (error) {
    return { reason: `no Chromium and apt-get could not run: ${(error as Error).message}` };
  }
}

/** A backend started in a worker of the bench page. */
export interface BrowserBackend {
  /** What engine/backend.ts reported (name, reason, float32). */
  info: { backend: string; reason: string; float32: boolean };
  run<T>(job: Job): Promise<T>;
  close(): Promise<void>;
}

/** The bench page server and browser. */
export interface BenchBrowser {
  browser: Browser;
  /** Starts a worker on `backend`; rejects when the backend does not start. */
  backend(backend: "webgl" | "wasm" | "cpu"): Promise<BrowserBackend>;
  close(): Promise<void>;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>bench</title>
<script type="module">
let next = 0;
const pending = new Map();
window.startWorker = (backend) => new Promise((resolve, reject) => {
  const worker = new Worker("/worker.js", { type: "module" });
  worker.onmessage = (e) => {
    const p = pending.get(e.data.id);
    pending.delete(e.data.id);
    e.data.error ? p.reject(new Error(e.data.error)) : p.resolve(e.data.result);
  };
  worker.onerror = (e) => reject(new Error("worker: " + e.message));
  window.worker = worker;
  window.call({ backend, wasmPaths: location.origin + "/vendor/tfjs/" }).then(resolve, reject);
});
window.call = (message) => new Promise((resolve, reject) => {
  const id = next++;
  pending.set(id, { resolve, reject });
  window.worker.postMessage({ id, ...message });
});
</script>`;

async function bundleWorker(): Promise<Uint8Array> {
  const out = await Deno.makeTempDir({ prefix: "bench-worker-" });
  try {
    const result = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--platform",
        "browser",
        "--format",
        "esm",
        "--minify",
        "--config",
        join(ROOT, "deno.json"),
        "--output",
        join(out, "worker.js"),
        join(ROOT, "bench/browser/worker.ts"),
      ],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!result.success) {
      throw new Error(
        `Cannot bundle the bench worker as deno bundle failed: ${
          new TextDecoder().decode(result.stderr)
        }`,
      );
    }
    return await Deno.readFile(join(out, "worker.js"));
  } finally {
    await Deno.remove(out, { recursive: true }).catch(() => {});
  }
}

/**
 * Bundles the worker, serves the bench page and launches Chromium.
 *
 * @param executablePath Chromium.
 * @returns The browser; `close()` stops it and the server.
 */
export async function startBenchBrowser(executablePath: string): Promise<BenchBrowser> {
  const worker = await bundleWorker();
  const require = createRequire(import.meta.url);
  const wasmDir = dirname(
    require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm"),
  );
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/") return new Response(PAGE, { headers: { "content-type": "text/html" } });
    if (path === "/worker.js") {
      return new Response(worker as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": "text/javascript" },
      });
    }
    const wasm = path.match(/^\/vendor\/tfjs\/(tfjs-backend-wasm(-simd|-threaded-simd)?\.wasm)$/);
    if (wasm) {
      const body = await Deno.readFile(join(wasmDir, wasm[1])).catch(() => null);
      if (body) return new Response(body, { headers: { "content-type": "application/wasm" } });
    }
    return new Response("not found", { status: 404 });
  });
  const base = `http://127.0.0.1:${server.addr.port}/`;
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  return {
    browser,
    async backend(name) {
      const page: Page = await browser.newPage();
      await page.goto(base);
      try {
        const info = await page.evaluate(
          (b) => (window as unknown as { startWorker(b: string): Promise<unknown> }).startWorker(b),
          name,
        ) as BrowserBackend["info"];
        return {
          info,
          run: <T>(job: Job) =>
            page.evaluate(
              (j) => (window as unknown as { call(m: unknown): Promise<unknown> }).call({ job: j }),
              job,
            ) as Promise<T>,
          close: () => page.close(),
        };
      } catch (error) {
        await page.close();
        throw error;
      }
    },
    async close() {
      await browser.close();
      await server.shutdown();
    },
  };
}
