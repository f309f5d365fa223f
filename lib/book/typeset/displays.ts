/**
 * The display equations of a chapter's Markdown, read line by line: each `$$ … $$` block with its
 * line, its label (`{#eq:name}`) and, when the author marked it, why it is not evaluated
 * (`{.unevaluated reason="…"}`, also after a label: `{#eq:name .unevaluated reason="…"}`), and the
 * order at which its `\approx` holds (`{#eq:name .approx in="\Sigma" order="mean 2, kl 2"}`,
 * `approx_order.ts`). Plain
 * text in, plain data out, so the build, the tests and "Check on this device" read the same list.
 *
 * @module
 */
import { type ApproxClaim, parseApproxClaim } from "./approx_order.ts";

/** One display equation as written. */
export interface Display {
  /** The chapter file, e.g. `chapters/01-reverse-step.md`. */
  file: string;
  /** Line of the opening `$$`. */
  line: number;
  /** The label, or undefined for an unlabelled display (a derivation step). */
  label?: string;
  /** The LaTeX between the `$$` lines. */
  latex: string;
  /** Why the author says it is not evaluated, when marked `.unevaluated`. */
  unevaluated?: string;
  /** The order its `\approx` holds at, when marked `.approx`. */
  approx?: ApproxClaim;
}

/** What a display's meta says. */
export interface DisplayMeta {
  label?: string;
  unevaluated?: string;
  approx?: ApproxClaim;
}

const META = /^\{(.*)\}$/;

/**
 * Reads the meta text after an opening `$$`: a label `#eq:…` and/or `.unevaluated reason="…"`
 * or `.approx in="…" order="…"`.
 *
 * @param meta the text after `$$`
 * @returns the label and reason, or an Error saying what is malformed
 * @example
 * ```ts
 * import { parseDisplayMeta } from "./displays.ts";
 * const m = parseDisplayMeta('{.unevaluated reason="a definition"}');
 * if (m instanceof Error || m.unevaluated !== "a definition" || m.label) throw new Error("meta");
 * if (!(parseDisplayMeta("{.unevaluated}") instanceof Error)) throw new Error("reason required");
 * const a = parseDisplayMeta('{#eq:a .approx in="\\Sigma" order="mean 2"}');
 * if (a instanceof Error || a.approx?.orders.mean !== 2 || a.label !== "eq:a") throw new Error("approx");
 * ```
 */
export function parseDisplayMeta(
  meta: string | null | undefined,
): DisplayMeta | Error {
  const text = meta?.trim() ?? "";
  if (text === "") return {};
  const inner = META.exec(text)?.[1];
  if (inner === undefined) return malformed(text);
  let rest = inner.trim();
  const out: DisplayMeta = {};
  const label = /^#(eq:[a-z0-9][a-z0-9-]*)(?=\s|$)/.exec(rest);
  if (label) {
    out.label = label[1];
    rest = rest.slice(label[0].length).trim();
  }
  if (rest !== "") {
    const mark = /^\.unevaluated\s+reason="([^"]+)"$/.exec(rest);
    const approx = /^\.approx\s+in="([^"]+)"\s+order="([^"]+)"$/.exec(rest);
    if (approx) {
      const claim = parseApproxClaim(approx[1], approx[2]);
      if (claim instanceof Error) return claim;
      out.approx = claim;
    } else if (mark) out.unevaluated = mark[1].trim();
    else return malformed(text);
  }
  return out;
}

function malformed(text: string): Error {
  return new Error(
    `Cannot read equation meta as it must be {#eq:lower-case-words}, ` +
      `{.unevaluated reason="why"} or {.approx in="small" order="mean 2, kl 2"}, after a label or ` +
      `alone: current value is ${JSON.stringify(text)}`,
  );
}

/**
 * Every display equation of a chapter, in order.
 *
 * @param markdown the chapter's text
 * @param file the chapter file as reported
 * @returns the displays; a malformed meta throws, naming file:line
 * @example
 * ```ts
 * import { displayEquations } from "./displays.ts";
 * const d = displayEquations("a\n\n$$ {#eq:x}\nx = 1\n$$\n\n$$\ny\n$$\n", "c.md");
 * if (d.length !== 2 || d[0].label !== "eq:x" || d[0].line !== 3 || d[1].latex !== "y") {
 *   throw new Error(JSON.stringify(d));
 * }
 * ```
 */
export function displayEquations(markdown: string, file: string): Display[] {
  const lines = markdown.split("\n");
  const out: Display[] = [];
  let fence = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*(```|~~~)/.test(l)) fence = !fence;
    if (fence) continue;
    const open = /^\$\$(.*)$/.exec(l);
    if (!open) continue;
    const meta = parseDisplayMeta(open[1]);
    if (meta instanceof Error) throw new Error(`${file}:${i + 1}: ${meta.message}`);
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\$\$\s*$/.test(lines[j])) body.push(lines[j++]);
    if (j >= lines.length) {
      throw new Error(`${file}:${i + 1}: Cannot read display math as it has no closing $$`);
    }
    out.push({ file, line: i + 1, ...meta, latex: body.join("\n").trim() });
    i = j;
  }
  return out;
}
