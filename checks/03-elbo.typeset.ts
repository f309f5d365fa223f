/**
 * Chapter 3's printed equations, evaluated on the same Gaussian chains as Chapter 2 (the 1-D mixture,
 * three schedules, whole forward paths from the engine's sampler): the pointwise identities of the
 * ELBO's derivation. The ELBO itself and its KL forms are expectations over whole paths; their
 * displays say so with `.unevaluated` markers.
 *
 * @module
 */
import type { Binding } from "../lib/book/typeset/binding.ts";
import { notationBinding } from "../lib/book/typeset/notation_binding.ts";
import { cosineSchedule, linearSchedule, sohlDicksteinSchedule } from "../engine/schedule.ts";
import { gaussianCase } from "./02-trajectories.typeset.ts";
import type { TypesetSpec } from "./typeset_harness.ts";

/** Chapter 3's typeset evaluation. */
export const spec: TypesetSpec = {
  binding: notationBinding as Binding,
  cases: [
    gaussianCase(linearSchedule(100), 301),
    gaussianCase(cosineSchedule(50), 302),
    gaussianCase(sohlDicksteinSchedule(40), 303),
  ],
};
