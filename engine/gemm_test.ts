import { matMulATInto, matMulInto, transposeInto } from "./gemm.ts";
import { createRng } from "./rng.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

function random(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** The textbook triple loop in float64: the independent route. */
function naive(a: Float32Array, b: Float32Array, m: number, k: number, n: number, aT = false) {
  const out = new Float64Array(m * n), abs = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0, sumAbs = 0;
      for (let p = 0; p < k; p++) {
        const term = (aT ? a[p * m + i] : a[i * k + p]) * b[p * n + j];
        sum += term;
        sumAbs += Math.abs(term);
      }
      out[i * n + j] = sum;
      abs[i * n + j] = sumAbs;
    }
  }
  return { out, abs };
}

// A float32 sum of k products: |error| <= gamma_{k+1} sum |terms| with gamma_n ~ n 2^-24
// (Higham, Accuracy and Stability of Numerical Algorithms, 3.1); asserted per element.
function close(
  got: Float32Array,
  want: { out: Float64Array; abs: Float64Array },
  k: number,
  what: string,
) {
  want.out.forEach((w, i) => {
    const tol = (k + 2) * 2 ** -24 * want.abs[i];
    assert(Math.abs(got[i] - w) <= tol, `${what}[${i}]: ${got[i]} vs ${w} (tolerance ${tol})`);
  });
}

Deno.test("matMulInto equals the float64 triple loop, row counts with and without a remainder", () => {
  for (const [m, k, n] of [[1, 1, 1], [4, 3, 2], [7, 58, 128], [30, 128, 2], [9, 2, 5]]) {
    const a = random(m * k, m), b = random(k * n, n);
    const out = new Float32Array(m * n).fill(NaN); // overwritten, not accumulated
    close(matMulInto(a, b, out, m, k, n), naive(a, b, m, k, n), k, `ab ${m}x${k}x${n}`);
  }
});

Deno.test("matMulATInto equals the triple loop on the transposed input", () => {
  for (const [m, k, n] of [[1, 1, 1], [4, 3, 2], [30, 58, 16], [33, 128, 2]]) {
    const a = random(m * k, m + 1), b = random(m * n, n + 1); // a [m, k], b [m, n]
    const out = new Float32Array(k * n).fill(NaN);
    // naive with aT: out[i, j] = sum_p a[p, i] b[p, j], i < k, p < m
    close(matMulATInto(a, b, out, m, k, n), naive(a, b, k, m, n, true), m, `a^T b ${m}x${k}x${n}`);
  }
});

Deno.test("transposeInto moves element (i, j) to (j, i), across tile edges", () => {
  const [m, n] = [37, 19];
  const a = random(m * n, 3);
  const out = transposeInto(a, new Float32Array(m * n), m, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) assert(out[j * m + i] === a[i * n + j], `(${i}, ${j})`);
  }
});

Deno.test("too-short arrays are rejected with their lengths", () => {
  let message = "";
  try {
    matMulInto(new Float32Array(3), new Float32Array(4), new Float32Array(4), 2, 2, 2);
  } catch (e) {
    message = (e as Error).message;
  }
  assert(
    message === "Cannot compute a b as a must hold at least 4 values: current length is 3",
    message,
  );
});
