/**
 * Questions to a run from an island whose settings change faster than answers come (sliders,
 * painting): one question at a time, the latest settings win, and the island learns whether it is
 * busy, how many answers it has drawn, and the last error. Shared by chapter 2's sampling demos.
 *
 * @module
 */
import { useRef, useState } from "preact/hooks";

/** What {@link useLatest} gives an island. */
export interface Latest<S> {
  busy: boolean;
  /** Answers drawn so far (tests wait on it). */
  draws: number;
  error?: string;
  /** Asks for `settings` (now, or after the question in flight); `again` asks even if unchanged. */
  want(settings: S, again?: boolean): void;
  /** Forgets the last answered settings (the model changed: the next `want` asks again). */
  forget(): void;
}

/**
 * @param ask Puts the question for `settings` and handles the answer; false: cannot ask now.
 * @param same Whether two settings give the same answer.
 * @returns The state and `want`.
 */
export function useLatest<S>(
  ask: (settings: S) => Promise<void> | false,
  same: (a: S, b: S) => boolean,
): Latest<S> {
  const [busy, setBusy] = useState(false);
  const [draws, setDraws] = useState(0);
  const [error, setError] = useState<string | undefined>(undefined);
  const wanted = useRef<S | undefined>(undefined);
  const answered = useRef<S | undefined>(undefined);
  const inFlight = useRef(false);
  const askRef = useRef(ask);
  askRef.current = ask;

  const pump = async () => {
    const s = wanted.current;
    if (inFlight.current || s === undefined) return;
    if (answered.current !== undefined && same(answered.current, s)) return;
    const asked = askRef.current(s);
    if (asked === false) return;
    inFlight.current = true;
    setBusy(true);
    try {
      await asked;
      answered.current = s;
      setDraws((d) => d + 1);
      setError(undefined);
    } catch (e) {
      answered.current = s; // do not repeat a failing question until something changes
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
    pump();
  };

  return {
    busy,
    draws,
    error,
    want(settings, again) {
      wanted.current = settings;
      if (again) answered.current = undefined;
      pump();
    },
    forget() {
      answered.current = undefined;
    },
  };
}
