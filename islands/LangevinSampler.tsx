import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { langevinChain } from "../engine/langevin.ts";
import { klOnGrid, langevinStationary1D } from "../engine/langevin_bias.ts";
import { mixtureLogPdf, mixtureScore, mixtureVariance } from "../engine/mixture.ts";
import { threeBumps } from "../engine/mixture_1d.ts";
import { createRng } from "../engine/rng.ts";
import { formatExponential, formatPrecision, formatShort } from "../lib/demo/format.ts";

/** Step sizes offered: the narrowest bump has variance 0.02, so delta = 0.08 is its limit. */
const DELTAS = [0.002, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08];
const CHAINS = 1500; // points run in parallel
const STEPS_PER_CHUNK = 5; // Langevin steps per animation chunk
const MAX_STEPS = 2000;
const LO = -4, HI = 4.5, GRID = 400, BINS = 60;
const W = 600, H = 230, PAD = 6, AXIS = 22; // SVG geometry (viewBox units)
const SEED = 6;

const score = (x: Float64Array) => mixtureScore(threeBumps, x);
const score1 = (x: number) => mixtureScore(threeBumps, x)[0];
const TARGET_VARIANCE = mixtureVariance(threeBumps)[0];

/** The chains' start: spread over the whole axis, the same on the server and in the browser. */
function startPoints(): Float64Array {
  const rng = createRng(SEED);
  return Float64Array.from({ length: CHAINS }, () => LO + (HI - LO) * rng.uniform());
}

function histogram(x: Float64Array): Float64Array {
  const counts = new Float64Array(BINS), width = (HI - LO) / BINS;
  for (const v of x) {
    const b = Math.floor((v - LO) / width);
    if (b >= 0 && b < BINS) counts[b]++;
  }
  return counts.map((c) => c / (x.length * width)); // density units
}

function moments(x: Float64Array): { mean: number; variance: number } {
  let m = 0, s = 0;
  for (const v of x) m += v / x.length;
  for (const v of x) s += (v - m) ** 2 / x.length;
  return { mean: m, variance: s };
}

interface Props {
  /** Starting step size (one of 0.002 ... 0.08). */
  delta?: number;
}

/**
 * Chapter 6's Langevin dynamics on the exact three-bump score (`eq:langevin-step`): 1,500 chains
 * run in small chunks in the page (no worker, no tfjs). The plot shows the target density, the
 * chains' histogram and the chain's exact stationary density at this step size, found by solving
 * the discretised kernel (`langevinStationary1D`); the readout gives its KL to the target: the
 * finite-step bias, computed.
 */
export default function LangevinSampler(props: Props) {
  const initial = DELTAS.indexOf(props.delta ?? 0.01);
  const [deltaIndex, setDeltaIndex] = useState(initial >= 0 ? initial : 2);
  const [noise, setNoise] = useState(1);
  const [steps, setSteps] = useState(0);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [hydrated, setHydrated] = useState(false);
  const points = useRef<Float64Array>(startPoints());
  const rng = useRef(createRng(SEED + 1));
  const [hist, setHist] = useState(() => histogram(points.current));
  useEffect(() => setHydrated(true), []);
  const delta = DELTAS[deltaIndex];

  const target = useMemo(() => {
    const xs = Float64Array.from({ length: GRID }, (_, i) => LO + ((HI - LO) * i) / (GRID - 1));
    return { xs, ys: xs.map((x) => Math.exp(mixtureLogPdf(threeBumps, x))) };
  }, []);
  const stationary = useMemo(() => {
    if (noise === 0) return null; // gradient ascent: the chains collapse onto the modes
    const r = langevinStationary1D(score1, delta, LO, HI, GRID, noise);
    const kl = klOnGrid(r.grid, r.density, (x) => mixtureLogPdf(threeBumps, x));
    return { ...r, kl };
  }, [delta, noise]);

  useEffect(() => {
    if (!running) return;
    let cancelled = false;
    const tick = () => {
      if (cancelled) return;
      try {
        langevinChain({
          score,
          x: points.current,
          dim: 1,
          delta,
          steps: STEPS_PER_CHUNK,
          rng: rng.current,
          noiseScale: noise,
        });
      } catch (e) {
        setFailure(e instanceof Error ? e.message : String(e));
        setRunning(false);
        return;
      }
      setHist(histogram(points.current));
      setSteps((s) => {
        const next = s + STEPS_PER_CHUNK;
        if (next >= MAX_STEPS) setRunning(false);
        return next;
      });
      setTimeout(tick, 0);
    };
    const id = setTimeout(tick, 0);
    return () => {
      cancelled = true;
      clearTimeout(id);
    };
  }, [running, delta, noise]);

  const reset = () => {
    setRunning(false);
    points.current = startPoints();
    rng.current = createRng(SEED + 1);
    setHist(histogram(points.current));
    setSteps(0);
    setFailure(null);
  };

  const sample = moments(points.current);
  const yMax = 1.15 * Math.max(...target.ys);
  const toX = (x: number) => PAD + ((x - LO) / (HI - LO)) * (W - 2 * PAD);
  const toY = (y: number) => H - AXIS - Math.min(y / yMax, 1.05) * (H - AXIS - PAD);
  const path = (xs: Float64Array, ys: Float64Array) =>
    Array.from(ys, (y, i) => `${i ? "L" : "M"}${toX(xs[i]).toFixed(1)} ${toY(y).toFixed(1)}`)
      .join("");
  const binWidth = (HI - LO) / BINS;

  return (
    <div class="langevin-sampler" data-hydrated={hydrated}>
      <p class="demo-caption">
        Press Run: 1,500 Langevin chains start spread over the axis and settle on the three bumps.
        Crossing from bump to bump is slow, so their split among the bumps long reflects where they
        started; the dashed curve is where they would end. Raise the step size and that resting
        shape drifts away from the target. Set the noise to 0 and every chain climbs to a mode.
      </p>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Langevin chains at step size ${delta} after ${steps} steps; stationary KL to the target ${
          stationary ? formatPrecision(stationary.kl, 2) : "undefined"
        } nats`}
      >
        <line class="pe-axis" x1={PAD} x2={W - PAD} y1={H - AXIS} y2={H - AXIS} />
        {[-4, -3, -2, -1, 0, 1, 2, 3, 4].map((v) => (
          <g key={v}>
            <line class="pe-axis" x1={toX(v)} x2={toX(v)} y1={H - AXIS} y2={H - AXIS + 4} />
            <text class="pe-tick" x={toX(v)} y={H - 6} text-anchor="middle">{formatShort(v)}</text>
          </g>
        ))}
        {Array.from(hist, (d, b) => (
          <rect
            key={b}
            class="lg-bar"
            x={toX(LO + b * binWidth)}
            width={Math.max(0, toX(LO + (b + 1) * binWidth) - toX(LO + b * binWidth) - 0.5)}
            y={toY(d)}
            height={Math.max(0, H - AXIS - toY(d))}
          />
        ))}
        {stationary && <path class="pe-fit" d={path(stationary.grid, stationary.density)} />}
        <path class="pe-exact" d={path(target.xs, target.ys)} />
      </svg>
      <p class="pe-legend">
        <span class="pe-key pe-key-exact" /> target q(x) <span class="pe-key pe-key-fit" />{" "}
        the chain’s exact stationary density at this δ <span class="pe-key lg-key-bar" />{" "}
        the chains now
      </p>
      <div class="controls">
        <label>
          <span>
            Step size δ = <output data-testid="delta">{delta}</output>
          </span>
          <input
            type="range"
            min={0}
            max={DELTAS.length - 1}
            step={1}
            value={deltaIndex}
            onInput={(e) => setDeltaIndex(Number((e.target as HTMLInputElement).value))}
            aria-label="Langevin step size delta"
            aria-valuetext={`delta = ${delta}`}
            data-testid="delta-slider"
          />
        </label>
        <label>
          <span>
            Noise scale = <output data-testid="noise">{noise.toFixed(2)}</output> (1 is Langevin)
          </span>
          <input
            type="range"
            min={0}
            max={1.5}
            step={0.05}
            value={noise}
            onInput={(e) => setNoise(Number((e.target as HTMLInputElement).value))}
            aria-label="Noise scale"
            data-testid="noise-slider"
          />
        </label>
        <button type="button" onClick={() => setRunning(!running)} data-testid="run">
          {running ? "Pause" : "Run"}
        </button>
        <button type="button" onClick={reset} data-testid="reset">Reset</button>
      </div>
      {failure && <p class="demo-error" role="alert" data-testid="failure">{failure}</p>}
      <dl class="readout">
        <div>
          <dt>steps</dt>
          <dd data-testid="steps">{steps}</dd>
        </div>
        <div>
          <dt>stationary KL to the target (exact)</dt>
          <dd data-testid="kl">
            {stationary
              ? `${formatExponential(stationary.kl, 2)} nats`
              : "none (no noise: the chains collapse)"}
          </dd>
        </div>
        <div>
          <dt>variance: chains / stationary / target</dt>
          <dd data-testid="variance">
            {sample.variance.toFixed(3)} / {stationary ? stationary.variance.toFixed(3) : "0"} /
            {" "}
            {TARGET_VARIANCE.toFixed(3)}
          </dd>
        </div>
      </dl>
    </div>
  );
}
