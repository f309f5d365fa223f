/**
 * Every chapter's equation checks, by chapter slug, as lazy imports: the "Check on this device"
 * worker (`device_worker.ts`) loads only the chapter the reader asked for, and the bundler splits
 * each chapter's checks into its own chunk. `deno task new-chapter` adds a line;
 * `chapter_checks_test.ts` fails when a `NN-slug.checks.ts` file is missing here.
 *
 * @module
 */
import type { EquationCheck } from "./harness.ts";
import type { TypesetSpec } from "./typeset_harness.ts";

/** Loads one chapter's checks module. */
export type ChecksLoader = () => Promise<{ checks: EquationCheck[]; typeset?: TypesetSpec }>;

/** Chapter slug -> its checks. */
export const chapterChecks: Readonly<Record<string, ChecksLoader>> = {
  "01-reverse-step": () => import("./01-reverse-step.checks.ts"),
  "02-trajectories": () => import("./02-trajectories.checks.ts"),
  "03-elbo": () => import("./03-elbo.checks.ts"),
  "04-vdm": () => import("./04-vdm.checks.ts"),
  "05-guidance": () => import("./05-guidance.checks.ts"),
  "06-score-sde": () => import("./06-score-sde.checks.ts"),
};
