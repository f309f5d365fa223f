import {
  binaryHeartbeat,
  DATASET_NAMES,
  datasetByName,
  datasetStandardisation,
  labelledRing,
  RING_STD,
  standardisationOf,
  STANDARDISE_COUNT,
  STANDARDISE_SEED,
  swissRoll,
  twoMoons,
} from "./datasets.ts";
import { createRng } from "./rng.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

Deno.test("fresh samples of each set have mean ~0 and global std ~1", () => {
  const n = 20_000;
  for (const name of DATASET_NAMES) {
    const p = datasetByName(name)(n, createRng(99));
    const s = standardisationOf(p);
    // Standard error of a mean of n unit-variance values is 1/sqrt(n); of a variance about
    // sqrt(2/n) (more for these non-Gaussian sets: allow 6 standard errors).
    const se = 1 / Math.sqrt(n);
    assert(Math.abs(s.mean[0]) < 5 * se, `${name}: mean_x = ${s.mean[0]}`);
    assert(Math.abs(s.mean[1]) < 5 * se, `${name}: mean_y = ${s.mean[1]}`);
    assert(Math.abs(s.std - 1) < 6 * Math.sqrt(2 / n), `${name}: std = ${s.std}`);
  }
});

Deno.test("standardisation constants are those of 200,000 points at the fixed seed", () => {
  const c = datasetStandardisation("twoMoons");
  // Recompute from raw moons built independently of the module (same rng call order).
  const rng = createRng(STANDARDISE_SEED);
  const raw = new Float64Array(2 * STANDARDISE_COUNT);
  const half = STANDARDISE_COUNT / 2;
  for (let i = 0; i < STANDARDISE_COUNT; i++) {
    const a = Math.PI * rng.uniform();
    raw[2 * i] = (i < half ? Math.cos(a) : 1 - Math.cos(a)) + 0.05 * rng.normal();
    raw[2 * i + 1] = (i < half ? Math.sin(a) : 1 - Math.sin(a) - 0.5) + 0.05 * rng.normal();
  }
  const s = standardisationOf(raw);
  assert(Math.abs(s.mean[0] - c.mean[0]) < 1e-12, "mean_x");
  assert(Math.abs(s.std - c.std) < 1e-12, "std");
  // Exact mean of the moons: x = (0 + 1) / 2 (E cos a = 0), y = (2/pi + 1/2 - 2/pi) / 2 = 1/4.
  assert(Math.abs(c.mean[0] - 0.5) < 0.01 && Math.abs(c.mean[1] - 0.25) < 0.01, "moons mean");
});

Deno.test("swiss roll points lie on the spiral r = s / 10 with s in [1.5 pi, 4.5 pi]", () => {
  const s = datasetStandardisation("swissRoll");
  const p = swissRoll(500, createRng(4));
  for (let i = 0; i < 500; i++) {
    const x = p[2 * i] * s.std + s.mean[0], y = p[2 * i + 1] * s.std + s.mean[1];
    const r = 10 * Math.hypot(x, y); // = s
    assert(r >= 1.5 * Math.PI - 1e-9 && r <= 4.5 * Math.PI + 1e-9, `s = ${r}`);
    // (x, y) = (s sin s, s cos s) / 10, so atan2(x, y) = s mod 2 pi.
    const angle = Math.atan2(x, y);
    const d = Math.abs(((angle - r) % (2 * Math.PI) + 3 * Math.PI) % (2 * Math.PI) - Math.PI);
    assert(d < 1e-9, `angle mismatch ${d}`);
  }
});

Deno.test("generators are reproducible with a seed and differ across seeds", () => {
  const a = twoMoons(100, createRng(1)), b = twoMoons(100, createRng(1));
  const c = twoMoons(100, createRng(2));
  assert(a.every((v, i) => v === b[i]), "same seed must give the same points");
  assert(a.some((v, i) => v !== c[i]), "different seeds must differ");
});

Deno.test("datasetByName rejects unknown names with the current value", () => {
  let message = "";
  try {
    datasetByName("spiral");
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("current value is spiral"), message);
});

Deno.test("labelledRing: labels match the nearest component and the std is 0.1 / std", () => {
  const ring = labelledRing(400, createRng(8), 4);
  assert(
    Math.abs(ring.std - RING_STD / datasetStandardisation("eightGaussians").std) < 1e-15,
    "std",
  );
  for (let i = 0; i < 400; i++) {
    let best = 0, bestD = Infinity;
    for (let k = 0; k < 8; k++) {
      const d = Math.hypot(
        ring.data[2 * i] - ring.means[2 * k],
        ring.data[2 * i + 1] - ring.means[2 * k + 1],
      );
      if (d < bestD) [best, bestD] = [k, d];
    }
    assert(ring.labels[i] === best % 4, `label of point ${i}`);
    assert(ring.componentClass[best] === ring.labels[i], "component class");
  }
});

Deno.test("binaryHeartbeat: period-5 pulses at a uniform random phase", () => {
  const n = 5000, L = 20;
  const x = binaryHeartbeat(n, L, createRng(3));
  const phases = [0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * L, (i + 1) * L);
    const phase = row.indexOf(1);
    assert(phase >= 0 && phase < 5, `phase ${phase}`);
    for (let j = 0; j < L; j++) assert(row[j] === ((j - phase) % 5 === 0 ? 1 : 0), "pattern");
    phases[phase]++;
  }
  // Each phase has probability 1/5: count ~ Binomial(5000, 0.2), sd = sqrt(800) ~ 28.
  for (const c of phases) assert(Math.abs(c - 1000) < 5 * Math.sqrt(800), `phase count ${c}`);
});
