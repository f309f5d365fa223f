/**
 * The island components by name, for pages that place islands by name (chapters embed them with
 * `::island{name="..."}`). Every file in `islands/` appears here; `islands_test.ts` checks that.
 *
 * @module
 */
import type { ComponentType } from "preact";
import BinaryHeartbeat from "../islands/BinaryHeartbeat.tsx";
import CheckOnDevice from "../islands/CheckOnDevice.tsx";
import ElboTerms from "../islands/ElboTerms.tsx";
import FlowSamplers from "../islands/FlowSamplers.tsx";
import ForwardChain from "../islands/ForwardChain.tsx";
import Guidance from "../islands/Guidance.tsx";
import LangevinSampler from "../islands/LangevinSampler.tsx";
import MultiplyDistributions from "../islands/MultiplyDistributions.tsx";
import Parameterisations from "../islands/Parameterisations.tsx";
import PinnedInpainting from "../islands/PinnedInpainting.tsx";
import PosteriorExplorer from "../islands/PosteriorExplorer.tsx";
import ReverseTrajectories from "../islands/ReverseTrajectories.tsx";
import Search from "../islands/Search.tsx";
import TrainAndSample from "../islands/TrainAndSample.tsx";

// deno-lint-ignore no-explicit-any
export const islandComponents: Record<string, ComponentType<any>> = {
  BinaryHeartbeat,
  CheckOnDevice,
  ElboTerms,
  FlowSamplers,
  ForwardChain,
  Guidance,
  LangevinSampler,
  MultiplyDistributions,
  Parameterisations,
  PinnedInpainting,
  PosteriorExplorer,
  ReverseTrajectories,
  Search,
  TrainAndSample,
};
