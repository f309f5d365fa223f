import * as tf from "@tensorflow/tfjs";
import { type BackendName, initBackend } from "./backend.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

Deno.test("under Deno the default order skips WebGL (no WebGL context) and starts WASM", async () => {
  const info = await initBackend();
  assert(info.backend === "wasm", `backend ${info.backend}`);
  assert(tf.getBackend() === "wasm", "tfjs uses it");
  assert(info.float32, "wasm is float32");
  assert(info.reason.includes("webgl: no WebGL context"), info.reason);
});

Deno.test("cpu starts when asked first, and the reason says it was the first choice", async () => {
  const info = await initBackend(["cpu", "wasm"]);
  assert(info.backend === "cpu" && info.reason === "cpu (first choice)", info.reason);
  await initBackend(["wasm"]);
});

Deno.test("no usable backend: the error lists every failure", async () => {
  let message = "";
  try {
    await initBackend(["webgl", "nonsense" as BackendName]);
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.startsWith("Cannot start a tfjs backend"), message);
  assert(message.includes("webgl: no WebGL context") && message.includes("nonsense"), message);
  await initBackend(["wasm"]);
});
