import type { JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { binomialForwardStep, binomialMarginal } from "../engine/binomial.ts";
import {
  heartbeatPatterns,
  nearestPatternAgreement,
  reverseBitProbabilities,
  reverseStepSample,
} from "../engine/binomial_reverse.ts";
import { binaryHeartbeat } from "../engine/datasets.ts";
import { createRng } from "../engine/rng.ts";
import { type Schedule, sohlDicksteinSchedule } from "../engine/schedule.ts";
import { scheduleWithSteps } from "../engine/schedule_steps.ts";
import { StepBeta, StepSlider } from "../lib/demo/fields.tsx";

type HeartbeatSchedule = "sohl-dickstein" | "linear" | "cosine";

interface Props {
  /** The schedule the chapter starts with. */
  schedule?: HeartbeatSchedule;
}

const LENGTH = 20, PERIOD = 5; // the paper's heartbeats: 20 bits, a 1 every 5th position
const T = 40; // diffusion steps
const BATCH = 256; // chains behind the readouts; the grids show the first one
const CELL_W = 10, CELL_H = 6, GUTTER = 26, TOP = 6; // SVG geometry (viewBox units)
const LEVELS = 10; // probability shades
const PATTERNS = heartbeatPatterns(LENGTH, PERIOD);

function makeSchedule(name: HeartbeatSchedule): Schedule {
  return name === "sohl-dickstein" ? sohlDicksteinSchedule(T) : scheduleWithSteps(name, T);
}

/** Both chains for a batch: rows[t] holds BATCH * LENGTH bits, probs[t] the first chain's P(1). */
interface Chains {
  forward: Uint8Array[];
  forwardProb: Float64Array[];
  reverse: Uint8Array[];
  reverseProb: Float64Array[];
}

function runChains(schedule: Schedule, seed: number): Chains {
  const rng = createRng(seed);
  const forward: Uint8Array[] = [binaryHeartbeat(BATCH, LENGTH, rng, PERIOD)]; // [T+1][BATCH*LENGTH]
  for (let t = 1; t <= T; t++) {
    forward.push(binomialForwardStep(forward[t - 1], schedule.betas[t], rng));
  }
  const x0 = forward[0].subarray(0, LENGTH);
  const forwardProb = Array.from(
    { length: T + 1 },
    (_, t) => Float64Array.from(x0, (bit) => binomialMarginal(schedule, bit, t)), // q(x_t = 1 | x_0)
  );
  const reverse: Uint8Array[] = new Array(T + 1);
  const reverseProb: Float64Array[] = new Array(T + 1);
  reverse[T] = Uint8Array.from({ length: BATCH * LENGTH }, () => (rng.uniform() < 0.5 ? 1 : 0)); // x_T ~ pi
  reverseProb[T] = new Float64Array(LENGTH).fill(0.5);
  for (let t = T; t >= 1; t--) {
    const next = new Uint8Array(BATCH * LENGTH); // [BATCH*LENGTH] x_{t-1}
    for (let b = 0; b < BATCH; b++) {
      const xt = reverse[t].subarray(b * LENGTH, (b + 1) * LENGTH);
      next.set(reverseStepSample(schedule, xt, t, PATTERNS, rng), b * LENGTH); // x_{t-1} ~ q(. | x_t)
    }
    reverse[t - 1] = next;
    reverseProb[t - 1] = reverseBitProbabilities(
      schedule,
      reverse[t].subarray(0, LENGTH),
      t,
      PATTERNS,
    );
  }
  return { forward, forwardProb, reverse, reverseProb };
}

/** Share of ones, and share of sequences that are exact heartbeats, in one row of the batch. */
function summarise(bits: Uint8Array): { ones: number; heartbeats: number } {
  let ones = 0, heartbeats = 0;
  for (let b = 0; b < BATCH; b++) {
    const seq = bits.subarray(b * LENGTH, (b + 1) * LENGTH);
    for (const bit of seq) ones += bit;
    if (nearestPatternAgreement(seq, PATTERNS) === LENGTH) heartbeats++;
  }
  return { ones: ones / (BATCH * LENGTH), heartbeats: heartbeats / BATCH };
}

/**
 * Sohl-Dickstein et al.'s binary heartbeats under binomial diffusion (`eq:binomial-kernel`):
 * forward to fair coins, and back with the exact reverse step (what a perfectly trained model
 * does). Each grid has one row per step t and one column per bit; the shade is the probability of
 * a 1, the dot the sampled bit.
 */
export default function BinaryHeartbeat(props: Props) {
  const [scheduleName, setScheduleName] = useState<HeartbeatSchedule>(
    props.schedule === "linear" || props.schedule === "cosine" ? props.schedule : "sohl-dickstein",
  );
  const [seed, setSeed] = useState(1);
  const [t, setT] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const schedule = useMemo(() => makeSchedule(scheduleName), [scheduleName]);
  const chains = useMemo(() => runChains(schedule, seed), [schedule, seed]);
  const forwardGrid = useMemo(() => grid(chains.forwardProb, chains.forward), [chains]);
  const reverseGrid = useMemo(() => grid(chains.reverseProb, chains.reverse), [chains]);
  const fwd = summarise(chains.forward[t]);
  const rev = summarise(chains.reverse[t]);
  const exactOnes = chains.forwardProb[t].reduce((a, p) => a + p, 0) / LENGTH;

  useEffect(() => {
    if (!playing) return;
    const id = setInterval(() => {
      if (document.hidden) return setPlaying(false);
      setT((old) => {
        if (old >= T) {
          setPlaying(false);
          return T;
        }
        return old + 1;
      });
    }, 80);
    return () => clearInterval(id);
  }, [playing]);

  const height = TOP + (T + 1) * CELL_H + 2;
  const highlight = (
    <rect
      class="bh-now"
      x={GUTTER - 1}
      y={TOP + t * CELL_H - 1}
      width={LENGTH * CELL_W + 2}
      height={CELL_H + 2}
    />
  );
  const panel = (title: string, body: JSX.Element, label: string) => (
    <figure class="bh-panel">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${GUTTER + LENGTH * CELL_W} ${height}`} role="img" aria-label={label}>
        {[0, 10, 20, 30, 40].map((row) => (
          <text
            key={row}
            class="bh-label"
            x={GUTTER - 4}
            y={TOP + row * CELL_H + 5}
            text-anchor="end"
          >
            {row}
          </text>
        ))}
        {body}
        {highlight}
      </svg>
    </figure>
  );

  return (
    <div class="binary-heartbeat" data-hydrated={hydrated}>
      <p class="demo-caption">
        Scrub t from 0 to {T}{" "}
        (or press Play): the forward chain turns heartbeats into fair coins, and the exact reverse
        chain, read from t = {T} up to 0, brings the heartbeat back.
      </p>
      <div class="bh-panels">
        {panel(
          "forward: heartbeat → coins (t = 0 at the top, read down)",
          forwardGrid,
          `Forward chain of one heartbeat, step ${t} highlighted`,
        )}
        {panel(
          `exact reverse: coins → heartbeat (from t = ${T} at the bottom, read up)`,
          reverseGrid,
          `Reverse chain from fair coins, step ${t} highlighted`,
        )}
      </div>
      <div class="controls">
        <StepSlider
          t={t}
          T={T}
          onValue={(next) => {
            setPlaying(false);
            setT(next);
          }}
        />
        <label>
          Schedule
          <select
            value={scheduleName}
            onChange={(e) =>
              setScheduleName((e.target as HTMLSelectElement).value as HeartbeatSchedule)}
          >
            <option value="sohl-dickstein">Sohl-Dickstein</option>
            <option value="linear">linear</option>
            <option value="cosine">cosine</option>
          </select>
        </label>
        <div class="bh-buttons">
          <button
            type="button"
            data-testid="play"
            onClick={() => {
              if (!playing && t >= T) setT(0);
              setPlaying(!playing);
            }}
          >
            {playing ? "Pause" : "Play"}
          </button>
          <button type="button" data-testid="redraw" onClick={() => setSeed(seed + 1)}>
            New draw
          </button>
        </div>
      </div>
      <dl class="readout">
        <StepBeta schedule={schedule} t={t} />
        <div>
          <dt>forward: share of ones ({BATCH} chains)</dt>
          <dd data-testid="forward-ones">{fwd.ones.toFixed(3)}</dd>
        </div>
        <div>
          <dt>
            exact P(x<sub>t</sub> = 1)
          </dt>
          <dd data-testid="forward-exact">{exactOnes.toFixed(3)}</dd>
        </div>
        <div>
          <dt>forward: heartbeats</dt>
          <dd data-testid="forward-heartbeats">{(100 * fwd.heartbeats).toFixed(0)}%</dd>
        </div>
        <div>
          <dt>reverse: share of ones</dt>
          <dd data-testid="reverse-ones">{rev.ones.toFixed(3)}</dd>
        </div>
        <div>
          <dt>reverse: heartbeats</dt>
          <dd data-testid="reverse-heartbeats">{(100 * rev.heartbeats).toFixed(0)}%</dd>
        </div>
      </dl>
    </div>
  );
}

/** One grid: a path per probability shade and one for the sampled ones (first chain only). */
function grid(probs: Float64Array[], bits: Uint8Array[]): JSX.Element {
  const shades: string[] = new Array(LEVELS).fill("");
  let dots = "";
  probs.forEach((row, t) => {
    row.forEach((p, i) => {
      const level = Math.min(LEVELS - 1, Math.floor(p * LEVELS));
      const x = GUTTER + i * CELL_W, y = TOP + t * CELL_H;
      shades[level] += `M${x} ${y}h${CELL_W - 1}v${CELL_H - 1}h${1 - CELL_W}z`;
      if (bits[t][i]) dots += `M${x + 3} ${y + 1.5}h3v3h-3z`;
    });
  });
  return (
    <g>
      {shades.map((d, level) =>
        d && <path key={level} class="bh-cell" d={d} fill-opacity={(level + 0.5) / LEVELS} />
      )}
      <path class="bh-bit" d={dots} />
    </g>
  );
}
