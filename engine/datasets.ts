/**
 * The book's toy data sets (../docs/quality.md). The three 2-D sets are standardised: the mean is
 * subtracted and the result divided by one global standard deviation for both axes, with both
 * constants estimated once from {@link STANDARDISE_COUNT} points at seed {@link STANDARDISE_SEED}
 * (computed lazily on first use and cached). Every generator draws only from the seeded `Rng`.
 *
 * @module
 */
import { createRng, type Rng } from "./rng.ts";

/** Names of the 2-D data sets. */
export type DatasetName = "swissRoll" | "twoMoons" | "eightGaussians";

/** A generator of `n` points as a flat Float64Array `[x0, y0, x1, y1, ...]` (n * 2). */
export type Dataset2D = (n: number, rng: Rng) => Float64Array;

/** Points used to estimate each set's standardisation constants. */
export const STANDARDISE_COUNT = 200_000;
/** Seed used to estimate each set's standardisation constants. */
export const STANDARDISE_SEED = 20_150_601;

/** Radius of the 8-Gaussian ring before standardisation. */
export const RING_RADIUS = 2;
/** Standard deviation of each ring component before standardisation. */
export const RING_STD = 0.1;
/** Standard deviation of the two-moons noise before standardisation. */
export const MOONS_NOISE = 0.05;

function assertCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(
      `Cannot draw points as n must be a non-negative integer: current value is ${n}`,
    );
  }
}

/** Raw swiss roll: u ~ U(0,1), s = 1.5 pi (1 + 2u), point (s sin s, s cos s) / 10. */
function rawSwissRoll(n: number, rng: Rng): Float64Array {
  const out = new Float64Array(2 * n); // [n, 2]
  for (let i = 0; i < n; i++) {
    const s = 1.5 * Math.PI * (1 + 2 * rng.uniform()); // s = 1.5 \pi (1 + 2u)
    out[2 * i] = (s * Math.sin(s)) / 10;
    out[2 * i + 1] = (s * Math.cos(s)) / 10;
  }
  return out;
}

/** Raw two moons: first half on (cos a, sin a), second on (1 - cos b, 1 - sin b - 0.5), + noise. */
function rawTwoMoons(n: number, rng: Rng): Float64Array {
  const out = new Float64Array(2 * n); // [n, 2]
  const half = Math.ceil(n / 2);
  for (let i = 0; i < n; i++) {
    const a = Math.PI * rng.uniform(); // a, b ~ U(0, \pi)
    const upper = i < half;
    const x = upper ? Math.cos(a) : 1 - Math.cos(a);
    const y = upper ? Math.sin(a) : 1 - Math.sin(a) - 0.5;
    out[2 * i] = x + MOONS_NOISE * rng.normal();
    out[2 * i + 1] = y + MOONS_NOISE * rng.normal();
  }
  return out;
}

/** Raw ring: centre k uniform in 0..7 at radius 2, angle 2 pi k / 8, + N(0, 0.1^2) noise. */
function rawEightGaussians(n: number, rng: Rng, labels?: Int32Array): Float64Array {
  const out = new Float64Array(2 * n); // [n, 2]
  for (let i = 0; i < n; i++) {
    const k = rng.int(8);
    if (labels) labels[i] = k;
    const angle = (2 * Math.PI * k) / 8;
    out[2 * i] = RING_RADIUS * Math.cos(angle) + RING_STD * rng.normal();
    out[2 * i + 1] = RING_RADIUS * Math.sin(angle) + RING_STD * rng.normal();
  }
  return out;
}

const RAW: Record<DatasetName, (n: number, rng: Rng) => Float64Array> = {
  swissRoll: rawSwissRoll,
  twoMoons: rawTwoMoons,
  eightGaussians: rawEightGaussians,
};

/** Standardisation constants: `standardised = (raw - mean) / std`. */
export interface Standardisation {
  /** Per-axis mean of the raw set, [mean_x, mean_y]. */
  readonly mean: readonly [number, number];
  /** Global standard deviation sqrt((var_x + var_y) / 2) of the raw set. */
  readonly std: number;
}

const cache = new Map<DatasetName, Standardisation>();

/**
 * Mean and global standard deviation of a raw set, estimated from `count` points at `seed`.
 *
 * @param points Flat [n, 2] points.
 * @returns The constants that standardise them.
 * @example
 * ```ts
 * import { standardisationOf } from "./datasets.ts";
 * const s = standardisationOf(new Float64Array([0, 0, 2, 2]));
 * if (s.mean[0] !== 1 || s.std !== 1) throw new Error("mean 1 and std 1 expected");
 * ```
 */
export function standardisationOf(points: ArrayLike<number>): Standardisation {
  const n = points.length / 2;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += points[2 * i];
    my += points[2 * i + 1];
  }
  mx /= n;
  my /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    ss += (points[2 * i] - mx) ** 2 + (points[2 * i + 1] - my) ** 2;
  }
  return { mean: [mx, my], std: Math.sqrt(ss / (2 * n)) }; // pooled over both axes
}

/**
 * The constants used to standardise data set `name` (computed once, then cached).
 *
 * @param name One of the 2-D data sets.
 * @returns Its mean and global standard deviation before standardisation.
 * @example
 * ```ts
 * import { datasetStandardisation } from "./datasets.ts";
 * const s = datasetStandardisation("eightGaussians");
 * // Per-axis variance of the ring is 2^2 / 2 + 0.1^2 = 2.01.
 * if (Math.abs(s.std - Math.sqrt(2.01)) > 0.01) throw new Error("ring std should be ~1.418");
 * ```
 */
export function datasetStandardisation(name: DatasetName): Standardisation {
  let s = cache.get(name);
  if (!s) {
    s = standardisationOf(RAW[name](STANDARDISE_COUNT, createRng(STANDARDISE_SEED)));
    cache.set(name, s);
  }
  return s;
}

function standardise(points: Float64Array, s: Standardisation): Float64Array {
  for (let i = 0; i < points.length; i += 2) {
    points[i] = (points[i] - s.mean[0]) / s.std;
    points[i + 1] = (points[i + 1] - s.mean[1]) / s.std;
  }
  return points;
}

function standardised(name: DatasetName): Dataset2D {
  return (n, rng) => {
    assertCount(n);
    return standardise(RAW[name](n, rng), datasetStandardisation(name));
  };
}

/**
 * Standardised swiss roll (no noise): u ~ U(0,1), s = 1.5 pi (1 + 2u), (s sin s, s cos s) / 10.
 *
 * @param n Number of points.
 * @param rng Seeded generator.
 * @returns Flat [n, 2] points.
 * @example
 * ```ts
 * import { swissRoll } from "./datasets.ts";
 * import { createRng } from "./rng.ts";
 * if (swissRoll(5, createRng(1)).length !== 10) throw new Error("5 points, 2 coordinates each");
 * ```
 */
export const swissRoll: Dataset2D = standardised("swissRoll");

/**
 * Standardised two moons: half the points on (cos a, sin a), half on (1 - cos b, 1 - sin b - 0.5),
 * a, b ~ U(0, pi), plus N(0, 0.05^2) noise. The first ceil(n/2) points are the upper moon.
 *
 * @param n Number of points.
 * @param rng Seeded generator.
 * @returns Flat [n, 2] points.
 * @example
 * ```ts
 * import { twoMoons } from "./datasets.ts";
 * import { createRng } from "./rng.ts";
 * const a = twoMoons(3, createRng(2)), b = twoMoons(3, createRng(2));
 * if (a.some((v, i) => v !== b[i])) throw new Error("same seed, same points");
 * ```
 */
export const twoMoons: Dataset2D = standardised("twoMoons");

/**
 * Standardised 8-Gaussian ring: centre k ~ U{0..7} at radius 2 and angle 2 pi k / 8, plus
 * N(0, 0.1^2) noise.
 *
 * @param n Number of points.
 * @param rng Seeded generator.
 * @returns Flat [n, 2] points.
 * @example
 * ```ts
 * import { eightGaussians } from "./datasets.ts";
 * import { createRng } from "./rng.ts";
 * const p = eightGaussians(1, createRng(3));
 * const r = Math.hypot(p[0], p[1]);
 * if (r < 1 || r > 1.8) throw new Error("a ring point sits near radius 2 / 1.418");
 * ```
 */
export const eightGaussians: Dataset2D = standardised("eightGaussians");

/** Every 2-D data set by name. */
export const DATASET_NAMES: readonly DatasetName[] = ["swissRoll", "twoMoons", "eightGaussians"];

/**
 * Looks a 2-D data set up by name.
 *
 * @param name `"swissRoll"`, `"twoMoons"` or `"eightGaussians"`.
 * @returns The generator.
 * @example
 * ```ts
 * import { datasetByName, twoMoons } from "./datasets.ts";
 * if (datasetByName("twoMoons") !== twoMoons) throw new Error("lookup by name");
 * ```
 */
export function datasetByName(name: string): Dataset2D {
  switch (name) {
    case "swissRoll":
      return swissRoll;
    case "twoMoons":
      return twoMoons;
    case "eightGaussians":
      return eightGaussians;
  }
  throw new RangeError(
    `Cannot find data set as the name must be one of ${DATASET_NAMES.join(", ")}: ` +
      `current value is ${name}`,
  );
}

/** A labelled 2-D Gaussian mixture with its exact components (in standardised coordinates). */
export interface LabelledMixture {
  /** Flat [n, 2] points. */
  readonly data: Float64Array;
  /** Class of each point, 0..numClasses-1. */
  readonly labels: Int32Array;
  /** Number of classes. */
  readonly numClasses: number;
  /** Component means, flat [8, 2]; component k has class `componentClass[k]`. */
  readonly means: Float64Array;
  /** Class of each component. */
  readonly componentClass: Int32Array;
  /** Isotropic standard deviation of every component. */
  readonly std: number;
}

/**
 * The standardised 8-Gaussian ring with labels for guidance: component k (angle 2 pi k / 8) has
 * class k mod `numClasses`, and all 8 components have weight 1/8. The exact component means and
 * standard deviation are returned so exact classifiers and scores can be built.
 *
 * @param n Number of points.
 * @param rng Seeded generator.
 * @param numClasses 8 (one class per component), 4, 2 or 1.
 * @returns Points, labels and the mixture that generated them.
 * @example
 * ```ts
 * import { labelledRing } from "./datasets.ts";
 * import { createRng } from "./rng.ts";
 * const ring = labelledRing(4, createRng(5), 2);
 * if (!ring.labels.every((y) => y === 0 || y === 1)) throw new Error("two classes");
 * ```
 */
export function labelledRing(n: number, rng: Rng, numClasses = 8): LabelledMixture {
  assertCount(n);
  if (![1, 2, 4, 8].includes(numClasses)) {
    throw new RangeError(
      `Cannot label the ring as numClasses must divide 8: current value is ${numClasses}`,
    );
  }
  const s = datasetStandardisation("eightGaussians");
  const labels = new Int32Array(n);
  const data = standardise(rawEightGaussians(n, rng, labels), s); // [n, 2]
  for (let i = 0; i < n; i++) labels[i] %= numClasses;
  const means = new Float64Array(16); // [8, 2]
  const componentClass = new Int32Array(8);
  for (let k = 0; k < 8; k++) {
    const angle = (2 * Math.PI * k) / 8;
    means[2 * k] = (RING_RADIUS * Math.cos(angle) - s.mean[0]) / s.std;
    means[2 * k + 1] = (RING_RADIUS * Math.sin(angle) - s.mean[1]) / s.std;
    componentClass[k] = k % numClasses;
  }
  return { data, labels, numClasses, means, componentClass, std: RING_STD / s.std };
}

/**
 * Binary "heartbeat" sequences (Sohl-Dickstein et al., 2015): each sequence of `length` bits has a
 * 1 at every `period`-th position, starting at a phase drawn uniformly from 0..period-1, and 0
 * elsewhere. With the defaults (length 20, period 5) every sequence has exactly four 1s.
 *
 * @param n Number of sequences.
 * @param length Bits per sequence (the paper uses 20).
 * @param rng Seeded generator.
 * @param period Distance between pulses (5).
 * @returns Flat [n, length] bits.
 * @example
 * ```ts
 * import { binaryHeartbeat } from "./datasets.ts";
 * import { createRng } from "./rng.ts";
 * const x = binaryHeartbeat(1, 20, createRng(0));
 * if (x.reduce((a, b) => a + b, 0) !== 4) throw new Error("four pulses in 20 bits");
 * ```
 */
export function binaryHeartbeat(n: number, length: number, rng: Rng, period = 5): Uint8Array {
  assertCount(n);
  if (!Number.isInteger(period) || period < 1) {
    throw new RangeError(
      `Cannot draw heartbeats as period must be a positive integer: current value is ${period}`,
    );
  }
  const out = new Uint8Array(n * length); // [n, length]
  for (let i = 0; i < n; i++) {
    const phase = rng.int(period);
    for (let j = phase; j < length; j += period) out[i * length + j] = 1;
  }
  return out;
}
