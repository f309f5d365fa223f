import { denoiserConfig } from "../engine/denoiser.ts";
import { denseShapes, forwardFlops, gflops, matMulFlops, trainStepFlops } from "./flops.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

Deno.test("FLOPs of the default denoiser by hand: 6 B (58*128 + 2*128*128 + 128*2) per step", () => {
  const c = denoiserConfig({ parameterisation: "eps", T: 100, seed: 0 });
  const macs = 58 * 128 + 128 * 128 + 128 * 128 + 128 * 2; // 40,448 multiply-adds per example
  assert(forwardFlops(c, 1) === 2 * macs, `forward ${forwardFlops(c, 1)}`);
  assert(trainStepFlops(c, 256) === 6 * 256 * macs, `B=256: ${trainStepFlops(c, 256)}`);
  // 2048 * 6 * 40,448 = 497,025,024: half a GFLOP per step at batch 2048
  assert(trainStepFlops(c, 2048) === 497_025_024, `B=2048: ${trainStepFlops(c, 2048)}`);
});

Deno.test("FLOPs follow the configuration: width, depth, octaves, labels", () => {
  const c = denoiserConfig({
    parameterisation: "x0",
    T: 10,
    seed: 0,
    hidden: 16,
    layers: 2,
    fourierOctaves: 0,
    timeEmbedDim: 4,
    numClasses: 3,
  });
  // in = 2 + 0 + 4 = 6: [6,16], [16,16], out [16,2], labels [(3+1),16]
  assert(denseShapes(c).join(";") === "6,16;16,16;16,2;4,16", `shapes ${denseShapes(c).join(";")}`);
  assert(forwardFlops(c, 10) === 2 * 10 * (96 + 256 + 32 + 64), `forward ${forwardFlops(c, 10)}`);
});

Deno.test("matMul FLOPs and GFLOP/s; bad inputs", () => {
  assert(matMulFlops(2, 3, 4) === 48, "2 n k m");
  assert(gflops(1e9, 1000) === 1, "1 GFLOP in 1 s");
  assert(gflops(3e9, 1500) === 2, "3 GFLOP in 1.5 s");
  assert(Number.isNaN(gflops(1e9, 0)), "no time: NaN");
  const c = denoiserConfig({ parameterisation: "eps", T: 100, seed: 0 });
  let error: unknown;
  try {
    forwardFlops(c, 0);
  } catch (e) {
    error = e;
  }
  assert(error instanceof RangeError && /current value is 0/.test(error.message), String(error));
});
