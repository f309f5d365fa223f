import assert from "node:assert/strict";
import { quietWhileLeaving } from "./leaving.ts";

function fakeWindow() {
  const listeners: Record<string, () => void> = {};
  const timers: { fn: () => void; ms: number }[] = [];
  return {
    listeners,
    timers,
    win: {
      addEventListener: (type: string, fn: () => void) => listeners[type] = fn,
      setTimeout: (fn: () => void, ms: number) => timers.push({ fn, ms }),
    },
  };
}

Deno.test("quietWhileLeaving: reports at once normally, holds back while leaving, not after pageshow", () => {
  const { listeners, timers, win } = fakeWindow();
  const logged: string[] = [];
  const report = quietWhileLeaving(win, (m: string, n: number) => logged.push(`${m}${n}`), 700);
  report("a", 1);
  assert.deepEqual(logged, ["a1"]);
  listeners.beforeunload();
  report("b", 2);
  assert.deepEqual(logged, ["a1"], "a page being left does not report at once");
  assert.equal(timers.length, 1);
  assert.equal(timers[0].ms, 700);
  // The navigation was cancelled: the timer runs and the report is made, with its arguments.
  timers[0].fn();
  assert.deepEqual(logged, ["a1", "b2"]);
  listeners.pageshow();
  report("c", 3);
  assert.deepEqual(logged, ["a1", "b2", "c3"]);
  assert.equal(timers.length, 1);
});
