/**
 * The workers' pause between chunks of work. It yields through a MessageChannel rather than
 * `setTimeout(0)`: no 4 ms clamp between chunks, and messages already queued (Pause, Reset, a new
 * view) still run first.
 *
 * @module
 */

/**
 * Creates a function whose promise resolves after the event loop has had one turn.
 *
 * @returns `yieldToEvents`, for the sessions' `{ yieldToEvents }` option.
 *
 * @example
 * ```ts
 * import { createYieldToEvents } from "./yield_to_events.ts";
 * const yieldToEvents = createYieldToEvents();
 * let ran = false;
 * setTimeout(() => ran = true, 0);
 * await yieldToEvents();
 * await new Promise((r) => setTimeout(r, 5));
 * if (!ran) throw new Error("the timer should have run");
 * ```
 */
export function createYieldToEvents(): () => Promise<void> {
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(0);
    });
}
