import assert from "node:assert/strict";
import { chartValues, deferredChart, type DrawnChart } from "./charts.ts";

function fakeBuild() {
  const calls = { built: 0, destroyed: 0, data: [] as unknown[] };
  const chart: DrawnChart = {
    setData: (x, ys) => calls.data.push([x, ys]),
    destroy: () => calls.destroyed++,
  };
  return { calls, build: () => (calls.built++, Promise.resolve(chart)) };
}

/** A watch the test fires by hand. */
function fakeWatch() {
  const w = { near: undefined as (() => void) | undefined, stopped: 0 };
  return {
    w,
    watch: (near: () => void) => {
      w.near = near;
      return () => void w.stopped++;
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("deferredChart: nothing is built until the box is near, then the kept data is drawn", async () => {
  const { calls, build } = fakeBuild();
  const { w, watch } = fakeWatch();
  const chart = deferredChart(build, watch, true, (e) => assert.fail(String(e)));
  chart.setData([], [[]]);
  assert.equal(calls.built, 0, "no data and not near: nothing built");
  chart.setData([0, 1], [[2, -1]]); // data: built at once
  await tick();
  assert.equal(calls.built, 1);
  assert.equal(w.stopped, 1, "watching stops once built");
  assert.deepEqual(calls.data, [[[0, 1], [[2, null]]]], "kept data drawn, log scale gaps applied");
  w.near!(); // a late near does not build again
  await tick();
  assert.equal(calls.built, 1);
});

Deno.test("deferredChart: near the viewport builds with no data yet; later data goes straight in", async () => {
  const { calls, build } = fakeBuild();
  const { w, watch } = fakeWatch();
  const chart = deferredChart(build, watch, false, (e) => assert.fail(String(e)));
  await tick();
  assert.equal(calls.built, 0, "not near, no data: no chart library loaded");
  w.near!();
  await tick();
  assert.equal(calls.built, 1);
  assert.deepEqual(calls.data, []);
  chart.setData([3], [[NaN]]);
  assert.deepEqual(calls.data, [[[3], [[null]]]]);
});

Deno.test("deferredChart: without a watch it builds at once; destroy before the build ends it", async () => {
  const { calls, build } = fakeBuild();
  const chart = deferredChart(build, undefined, false, (e) => assert.fail(String(e)));
  assert.equal(calls.built, 1);
  chart.destroy(); // the build is still resolving
  await tick();
  assert.equal(calls.destroyed, 1, "the late chart is destroyed, not kept");
  chart.setData([1], [[1]]);
  assert.deepEqual(calls.data, []);
});

Deno.test("deferredChart: a failed build is reported", async () => {
  const errors: unknown[] = [];
  const chart = deferredChart(
    () => Promise.reject(new Error("no uPlot")),
    undefined,
    false,
    (e) => errors.push(e),
  );
  await tick();
  assert.equal((errors[0] as Error).message, "no uPlot");
  chart.setData([1], [[1]]); // no second attempt, no throw
  await tick();
  assert.equal(errors.length, 1);
});

Deno.test("chartValues: gaps for non-finite values, and for non-positive ones on a log scale", () => {
  assert.deepEqual(chartValues([1, 0, -2, Infinity, null], false), [1, 0, -2, null, null]);
  assert.deepEqual(chartValues([1, 0, -2], true), [1, null, null]);
});
