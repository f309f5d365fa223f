import { useEffect, useRef, useState } from "preact/hooks";
import type {
  DeviceBackend,
  DeviceCheckReport,
  DeviceCheckRequest,
} from "../checks/device_protocol.ts";
import { precisionSummary } from "../checks/device_protocol.ts";
import type { ReportRow } from "../checks/harness.ts";
import type { Display } from "../lib/book/typeset/displays.ts";
import { browserSitePath } from "../lib/site/browser_path.ts";
import { formatPrecision } from "../lib/demo/format.ts";

interface Props {
  /** The chapter's file name without `.md`, e.g. `01-reverse-step`. */
  chapter: string;
  /** Equation numbers by label, to show "(1.3)" beside each row. */
  numbers?: Record<string, string>;
  /** The chapter's labelled equations as printed, for the worker's typeset evaluation. */
  displays?: Display[];
  /** The `equation-checks-worker` bundle's URL. */
  workerUrl?: string;
  /** Where tfjs's `.wasm` files are served. */
  wasmPaths?: string;
}

/**
 * Hydrates only when the reader presses or focuses the button (lib/fresh/islands.ts): it stands
 * near the top of every chapter, in view at load, and until pressed its server HTML is the whole
 * island, so a reader who never presses it loads none of its code.
 */
export const hydrate = "interaction";

type Status = "idle" | "running" | "done" | "error";

function fmt(x: number): string {
  return Number.isFinite(x) ? (x === 0 ? "0" : formatPrecision(x, 2)) : String(x);
}

/**
 * "Check on this device": runs the chapter's equation checks (the functions `deno task test` runs,
 * from checks/) in a Web Worker in the reader's browser and lists pass/fail per check,
 * then says in what precision the checks and the demos computed here. Nothing loads until the
 * button is pressed.
 */
export default function CheckOnDevice(props: Props) {
  const [status, setStatus] = useState<Status>("idle");
  const [rows, setRows] = useState<ReportRow[]>([]);
  const [total, setTotal] = useState(0);
  const [device, setDevice] = useState<DeviceBackend | undefined>();
  const [message, setMessage] = useState("");
  const worker = useRef<Worker | undefined>(undefined);

  useEffect(() => () => worker.current?.terminate(), []);

  const start = () => {
    if (!props.workerUrl) {
      setStatus("error");
      setMessage("Cannot run the checks as this build has no equation-checks worker.");
      return;
    }
    worker.current?.terminate();
    setRows([]);
    setDevice(undefined);
    setMessage("Loading the checks…");
    setStatus("running");
    const w = new Worker(props.workerUrl, { type: "module" });
    worker.current = w;
    w.onmessage = (event: MessageEvent<DeviceCheckReport>) => {
      const r = event.data;
      if (r.type === "start") {
        setTotal(r.total);
        setMessage(`Running ${r.total} checks…`);
      } else if (r.type === "row") setRows((old) => [...old, r.row]);
      else if (r.type === "device") setDevice(r.device);
      else if (r.type === "done") {
        setStatus("done");
        setMessage(
          `${r.passed} of ${r.passed + r.failed} checks passed on this device in ${
            (r.ms / 1000).toFixed(1)
          } s.`,
        );
        w.terminate();
      } else if (r.type === "error") {
        setStatus("error");
        setMessage(r.message);
        w.terminate();
      }
    };
    w.onerror = (event) => {
      event.preventDefault();
      setStatus("error");
      setMessage(`Cannot run the checks as the worker failed: ${event.message || "load error"}`);
    };
    const canvas = document.createElement("canvas");
    const request: DeviceCheckRequest = {
      chapter: props.chapter,
      wasmPaths: props.wasmPaths ?? browserSitePath("/vendor/tfjs/"),
      pageWebgl: !!(canvas.getContext("webgl2") ?? canvas.getContext("webgl")),
      displays: props.displays,
    };
    w.postMessage(request);
  };

  return (
    <section class="check-device" data-status={status} aria-label="Check on this device">
      <button type="button" onClick={start} disabled={status === "running"}>
        {status === "idle"
          ? "Check this chapter’s equations on this device"
          : "Run the checks again"}
      </button>{" "}
      <span data-testid="check-message" aria-live="polite">
        {status === "running" && total > 0 ? `${rows.length} of ${total} done. ` : ""}
        {message}
      </span>
      {rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Equation</th>
              <th>Check</th>
              <th>Max error / tolerance</th>
              <th>Result</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.label}|${r.name}`} data-label={r.label} data-passed={String(r.passed)}>
                <td>
                  <a href={`#${r.label}`}>
                    {props.numbers?.[r.label] ? `(${props.numbers[r.label]})` : r.label}
                  </a>
                </td>
                <td>{r.name}</td>
                <td>
                  {fmt(r.maxError)} / {fmt(r.tolerance)}
                </td>
                <td class={r.passed ? "pass" : "fail"}>
                  {r.passed
                    ? "pass"
                    : `fail${r.maxError === Infinity ? ` (${r.toleranceReason})` : ""}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {device && <p data-testid="precision">{precisionSummary(device)}</p>}
    </section>
  );
}
