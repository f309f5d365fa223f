/**
 * Seeded random numbers for every demo and test: xoshiro128** (Blackman & Vigna, 2018),
 * seeded through SplitMix32 so that nearby seeds give unrelated streams.
 *
 * @module
 */

/** A seeded source of uniform and standard normal numbers. */
export interface Rng {
  /** The seed this generator was created with. */
  readonly seed: number;
  /** A uniform number in [0, 1) with 53 random bits. */
  uniform(): number;
  /** A standard normal number (Box-Muller, polar form). */
  normal(): number;
  /** An integer uniform in [0, n). */
  int(n: number): number;
}

function splitMix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a seeded generator (xoshiro128**).
 *
 * @param seed Any finite number; it is reduced to 32 bits.
 * @returns A generator whose stream depends only on `seed`.
 *
 * @example
 * ```ts
 * import { createRng } from "./rng.ts";
 * const a = createRng(7), b = createRng(7);
 * if (a.uniform() !== b.uniform()) throw new Error("not reproducible");
 * ```
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) {
    throw new RangeError(`Cannot seed generator as seed must be finite: current value is ${seed}`);
  }
  const init = splitMix32(Math.floor(seed) >>> 0);
  const s = new Uint32Array([init(), init(), init(), init()]);
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
  let spare: number | undefined;
  const uniform = () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
  return {
    seed,
    uniform,
    normal() {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return z;
      }
      let u: number, v: number, r: number;
      do {
        u = 2 * uniform() - 1;
        v = 2 * uniform() - 1;
        r = u * u + v * v;
      } while (r >= 1 || r === 0);
      const f = Math.sqrt((-2 * Math.log(r)) / r);
      spare = v * f;
      return u * f;
    },
    int(n: number) {
      if (!Number.isInteger(n) || n <= 0) {
        throw new RangeError(
          `Cannot draw an integer as n must be a positive integer: current value is ${n}`,
        );
      }
      return Math.floor(uniform() * n);
    },
  };
}
