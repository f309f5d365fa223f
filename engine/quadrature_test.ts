import { densityMoments, trapezoid, uniformGrid } from "./quadrature.ts";

Deno.test("trapezoid integrates a Gaussian to round-off and x^2 e^{-x^2/2} to sqrt(2 pi)", () => {
  const a = trapezoid((x) => Math.exp(-x * x / 2), -12, 12, 385);
  const b = trapezoid((x) => x * x * Math.exp(-x * x / 2), -12, 12, 385);
  if (Math.abs(a - Math.sqrt(2 * Math.PI)) > 1e-13) throw new Error(`mass ${a}`);
  if (Math.abs(b - Math.sqrt(2 * Math.PI)) > 1e-12) throw new Error(`second moment ${b}`);
});

Deno.test("trapezoid is exact for a linear function", () => {
  const v = trapezoid((x) => 3 * x + 1, 0, 2, 3);
  if (Math.abs(v - 8) > 1e-15) throw new Error(`integral of 3x + 1 on [0, 2] is 8: got ${v}`);
});

Deno.test("densityMoments of a peaked two-point mixture (log-density near -1e3) are right", () => {
  // 0.3 N(-1, 0.01) + 0.7 N(2, 0.04), scaled by e^{-1000}: mean 1.1, variance
  // 0.3 * 0.01 + 0.7 * 0.04 + 0.3 * 0.7 * 9 = 1.921
  const logN = (x: number, m: number, v: number) =>
    -0.5 * Math.log(2 * Math.PI * v) - (x - m) ** 2 / (2 * v);
  const logDensity = (x: number) =>
    -1000 + Math.log(0.3 * Math.exp(logN(x, -1, 0.01)) + 0.7 * Math.exp(logN(x, 2, 0.04)));
  const m = densityMoments(logDensity, -4, 6, 4001);
  if (Math.abs(m.mean - 1.1) > 1e-12) throw new Error(`mean ${m.mean}`);
  if (Math.abs(m.variance - 1.921) > 1e-12) throw new Error(`variance ${m.variance}`);
  if (Math.abs(m.logMass + 1000) > 1e-12) throw new Error(`log mass ${m.logMass}`);
});

Deno.test("uniformGrid rejects an empty interval with the current value", () => {
  let message = "";
  try {
    uniformGrid(1, 1, 3);
  } catch (e) {
    message = (e as Error).message;
  }
  if (!message.includes("current value is [1, 1]")) throw new Error(message);
});
