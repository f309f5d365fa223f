import assert from "node:assert/strict";
import { createMixture, mixtureLogPdf, mixtureScore } from "./mixture.ts";
import { flowDivergence, mixtureScoreDivergence, odeLogLikelihood } from "./ode_likelihood.ts";
import { linearVpSde, vpMixtureMarginal, vpMixtureScore } from "./sde.ts";
import { bookMixture2D } from "./toy_mixture.ts";

Deno.test("mixtureScoreDivergence equals central differences of mixtureScore", () => {
  const m = bookMixture2D(), h = 1e-5;
  for (const x of [[0.1, 0.2], [-1, -0.6], [1.3, 0.6]]) {
    let fd = 0;
    for (let i = 0; i < 2; i++) {
      const up = Float64Array.from(x), dn = Float64Array.from(x);
      up[i] += h;
      dn[i] -= h;
      fd += (mixtureScore(m, up)[i] - mixtureScore(m, dn)[i]) / (2 * h);
    }
    const exact = mixtureScoreDivergence(m, x);
    assert.ok(Math.abs(fd - exact) < 1e-4 * Math.max(1, Math.abs(exact)), `${fd} vs ${exact}`);
  }
});

Deno.test("ODE log-likelihood of the book mixture matches the exact log q(x_0), converging at fourth order", () => {
  const m = bookMixture2D(), sde = linearVpSde(), q1 = vpMixtureMarginal(m, sde, 1);
  const score = vpMixtureScore(m, sde);
  const err = (steps: number) => {
    const x0 = [0.2, 1.0];
    const r = odeLogLikelihood({
      sde,
      x0,
      score,
      scoreDivergence: (x, tau) => mixtureScoreDivergence(vpMixtureMarginal(m, sde, tau), x),
      priorLogPdf: (x) => mixtureLogPdf(q1, x),
      steps,
    });
    return Math.abs(r.logLikelihood - mixtureLogPdf(m, x0));
  };
  const coarse = err(100), fine = err(200);
  assert.ok(fine < 3e-4, `${fine}`);
  assert.ok(coarse / fine > 8, `higher order: ${coarse} / ${fine}`);
});

Deno.test("flowDivergence vanishes for N(0, I) data and the likelihood is then the prior's", () => {
  assert.ok(Math.abs(flowDivergence(linearVpSde(), 0.7, 3, -3)) < 1e-15);
  const m = createMixture({ weights: [1], means: [[0, 0]], variances: 1 }), sde = linearVpSde();
  const r = odeLogLikelihood({
    sde,
    x0: [0.5, -0.5],
    score: (x) => x.map((v) => -v),
    scoreDivergence: () => -2,
    priorLogPdf: (x) => mixtureLogPdf(m, x),
    steps: 10,
  });
  assert.ok(Math.abs(r.divergenceIntegral) < 1e-15);
  assert.ok(Math.abs(r.logLikelihood - mixtureLogPdf(m, [0.5, -0.5])) < 1e-15);
});

Deno.test("a diverging path is refused", () => {
  assert.throws(
    () =>
      odeLogLikelihood({
        sde: linearVpSde(),
        x0: [1],
        score: () => [1e308],
        scoreDivergence: () => 0,
        priorLogPdf: () => 0,
        steps: 2,
      }),
    /left the finite numbers/,
  );
  assert.throws(
    () =>
      odeLogLikelihood({
        sde: linearVpSde(),
        x0: [1],
        score: () => [0],
        scoreDivergence: () => 0,
        priorLogPdf: () => 0,
        steps: 0,
      }),
    /positive integer/,
  );
});
