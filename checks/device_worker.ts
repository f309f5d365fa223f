/**
 * The "Check on this device" worker (bundle entry `equation-checks-worker`): runs one chapter's
 * equation checks, the same functions `deno task test` runs, in the reader's browser and reports
 * each row as it finishes; then starts tfjs the way the demos do and reports the backend and its
 * precision. Loaded only when the reader presses the button.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../engine/backend.ts";
import { chooseBackendOrder } from "../lib/demo/backend_choice.ts";
import { probeWebgl } from "../lib/demo/tf_backend.ts";
import { chapterChecks } from "./chapter_checks.ts";
import type { DeviceBackend, DeviceCheckReport, DeviceCheckRequest } from "./device_protocol.ts";
import { runCheck } from "./harness.ts";
import { printedChecks } from "./typeset_harness.ts";

const scope = self as unknown as {
  postMessage(message: DeviceCheckReport): void;
  onmessage: ((event: MessageEvent<DeviceCheckRequest>) => void) | null;
};

async function deviceBackend(request: DeviceCheckRequest): Promise<DeviceBackend> {
  const probe = request.pageWebgl ? probeWebgl() : { available: false };
  const plan = chooseBackendOrder("auto", probe);
  let webglFloat32: boolean | undefined;
  if (probe.available) {
    try {
      webglFloat32 = tf.env().getBool("WEBGL_RENDER_FLOAT32_CAPABLE");
    } catch {
      webglFloat32 = undefined;
    }
  }
  try {
    const info = await initBackend(plan.order, {
      wasmPaths: new URL(request.wasmPaths, self.location.href).href,
    });
    return { backend: info.backend, float32: info.float32, webglFloat32, reason: info.reason };
  } catch (e) {
    return { webglFloat32, reason: e instanceof Error ? e.message : String(e) };
  }
}

async function run(request: DeviceCheckRequest): Promise<void> {
  const load = chapterChecks[request.chapter];
  if (!load) {
    scope.postMessage({
      type: "error",
      message: `Cannot check chapter ${request.chapter} as it has no equation checks: known ` +
        `chapters are ${Object.keys(chapterChecks).join(", ")}`,
    });
    return;
  }
  const mod = await load();
  const printed = mod.typeset && request.displays
    ? printedChecks(request.displays, mod.typeset)
    : [];
  const checks = [...mod.checks, ...printed];
  scope.postMessage({ type: "start", total: checks.length, labels: checks.map((c) => c.label) });
  const start = performance.now();
  let passed = 0;
  for (const c of checks) {
    const row = await runCheck(c);
    if (row.passed) passed++;
    scope.postMessage({ type: "row", row });
  }
  const ms = performance.now() - start;
  scope.postMessage({ type: "device", device: await deviceBackend(request) });
  scope.postMessage({ type: "done", passed, failed: checks.length - passed, ms });
}

scope.onmessage = (event) => {
  run(event.data).catch((e) =>
    scope.postMessage({ type: "error", message: e instanceof Error ? e.message : String(e) })
  );
};
