import { marginalScore, optimalEps } from "../../engine/mixture.ts";
import { labSchedule, ringMixture } from "./mixtures.ts";
import { rmsDistance, tweedieProbe, x0FromPrediction } from "./tweedie.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

const m = ringMixture(), s = labSchedule();

Deno.test("a perfect eps-, x0- or score-model gives the exact Tweedie mean, at t = 1, 50 and T", () => {
  for (const t of [1, 50, s.T]) {
    const p = tweedieProbe(m, s, t, 12);
    const eps = new Float64Array(24), score = new Float64Array(24);
    for (let i = 0; i < 24; i += 2) {
      eps.set(optimalEps(m, s, t, [p.xt[i], p.xt[i + 1]]), i); // E[eps | x_t]
      score.set(marginalScore(m, s, t, [p.xt[i], p.xt[i + 1]]), i); // grad log q(x_t)
    }
    // At t = T, x_0 = (x_t - ...) / sqrt(alphaBar_T) divides by 0.0065: allow for the rounding.
    const tol = t === s.T ? 1e-9 : 1e-12;
    const fromEps = rmsDistance(x0FromPrediction(s, "eps", p.xt, eps, t), p.exact);
    const fromScore = rmsDistance(x0FromPrediction(s, "score", p.xt, score, t), p.exact);
    const fromX0 = rmsDistance(x0FromPrediction(s, "x0", p.xt, p.exact, t), p.exact);
    assert(fromEps < tol && fromScore < tol && fromX0 === 0, `t ${t}: ${fromEps}, ${fromScore}`);
  }
});

Deno.test("the probe is seeded by t: the same points for every model, other points at another t", () => {
  const a = tweedieProbe(m, s, 30, 8), b = tweedieProbe(m, s, 30, 8), c = tweedieProbe(m, s, 31, 8);
  assert(a.xt.every((v, i) => v === b.xt[i]), "same t, same points");
  assert(a.xt.some((v, i) => v !== c.xt[i]), "another t, other points");
});

Deno.test("the exact denoiser moves points little at t = 1 and pulls them to the data mean at t = T", () => {
  const small = tweedieProbe(m, s, 1, 50), large = tweedieProbe(m, s, s.T, 50);
  assert(rmsDistance(small.xt, small.exact) < 0.05, "t = 1: E[x_0 | x_1] is close to x_1");
  // The ring's mean is 0; at t = T nothing is left of x_0, so E[x_0 | x_T] is about 0.
  const zeros = new Float64Array(100);
  assert(rmsDistance(large.exact, zeros) < 0.05, "t = T: the data mean");
});

Deno.test("rmsDistance refuses mismatched arrays", () => {
  let message = "";
  try {
    rmsDistance([0, 0], [0, 0, 1, 1]);
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.startsWith("Cannot compare point sets"), message);
});
