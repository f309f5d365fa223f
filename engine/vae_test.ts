import assert from "node:assert/strict";
import {
  EXAMPLE_HVAE,
  EXAMPLE_VAE,
  hvaeDecoderStepLogPdf,
  hvaeEncode,
  hvaeEncoderLogPdf,
  hvaeEncoderStepLogPdf,
  hvaeJointLogPdf,
  vaeDecoderLogPdf,
  vaeElbo,
  vaeEncoderLogPdf,
  vaeKl,
  vaeLogEvidence,
  vaePosterior,
  vaePriorLogPdf,
  vaeReconstruction,
  vaeReparameterise,
} from "./vae.ts";
import { klDiagGaussians } from "./gaussian.ts";
import { trapezoid } from "./quadrature.ts";
import { createRng } from "./rng.ts";

function assertAlmostEquals(actual: number, expected: number, tol: number): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected} (tolerance ${tol})`);
}

const VAE = EXAMPLE_VAE;

Deno.test("vae: ELBO = log p(x) - KL(q || true posterior), and below log p(x)", () => {
  for (const x of [-1.3, 0.2, 2.5]) {
    const p = vaePosterior(VAE, x);
    const q = { mean: VAE.m * x + VAE.c, variance: VAE.encoderStd ** 2 };
    const gap = klDiagGaussians(q.mean, q.variance, p.mean, p.variance);
    assertAlmostEquals(vaeElbo(VAE, x), vaeLogEvidence(VAE, x) - gap, 1e-13);
    assert.ok(vaeElbo(VAE, x) < vaeLogEvidence(VAE, x));
  }
});

Deno.test("vae: evidence and reconstruction equal their quadratures", () => {
  for (const x of [-0.7, 1.1]) {
    const evidence = trapezoid(
      (z) => Math.exp(vaePriorLogPdf(z) + vaeDecoderLogPdf(VAE, x, z)),
      -12,
      12,
      4001,
    );
    assertAlmostEquals(Math.log(evidence), vaeLogEvidence(VAE, x), 1e-12);
    const rec = trapezoid(
      (z) => Math.exp(vaeEncoderLogPdf(VAE, z, x)) * vaeDecoderLogPdf(VAE, x, z),
      -12,
      12,
      4001,
    );
    assertAlmostEquals(rec, vaeReconstruction(VAE, x), 1e-12);
    const kl = trapezoid(
      (z) =>
        Math.exp(vaeEncoderLogPdf(VAE, z, x)) * (vaeEncoderLogPdf(VAE, z, x) - vaePriorLogPdf(z)),
      -12,
      12,
      4001,
    );
    assertAlmostEquals(kl, vaeKl(VAE, x), 1e-12);
  }
});

Deno.test("vae: reparameterised codes have the encoder's mean and standard deviation", () => {
  const rng = createRng(7), n = 20_000, x = 0.9;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    const z = vaeReparameterise(VAE, x, rng.normal());
    s += z;
    s2 += z * z;
  }
  const mean = s / n, variance = s2 / n - mean * mean;
  assertAlmostEquals(mean, VAE.m * x + VAE.c, 4 * VAE.encoderStd / Math.sqrt(n));
  // the variance is s^2 = 0.36 (s^4 = 0.13 would be the lecture's slip)
  assertAlmostEquals(variance, VAE.encoderStd ** 2, 4 * Math.SQRT2 * 0.36 / Math.sqrt(n));
});

const H = EXAMPLE_HVAE;

Deno.test("hvae: the joint Gaussians equal the products of their factors", () => {
  const rng = createRng(3);
  for (let k = 0; k < 5; k++) {
    const z = hvaeEncode(H, 2 * rng.normal(), rng); // [L + 1]
    let joint = vaePriorLogPdf(z[3]), encoder = 0;
    for (let l = 1; l <= 3; l++) {
      joint += hvaeDecoderStepLogPdf(H, l, z[l - 1], z[l]);
      encoder += hvaeEncoderStepLogPdf(H, l, z[l], z[l - 1]);
    }
    assertAlmostEquals(hvaeJointLogPdf(H, z), joint, 1e-12);
    assertAlmostEquals(hvaeEncoderLogPdf(H, z), encoder, 1e-12);
  }
});

Deno.test("vae: bad input says what is wrong", () => {
  assert.throws(() => vaeElbo({ ...VAE, encoderStd: 0 }, 1), /encoder standard deviation/);
  assert.throws(() => hvaeJointLogPdf(H, [1, 2]), /needs x and 3 codes/);
  assert.throws(() => hvaeDecoderStepLogPdf(H, 4, 0, 0), /level must be 1\.\.3/);
});
