/**
 * The "verified" badge beside each equation number: a `<details>` element (no JavaScript needed)
 * whose summary is a small mark and whose body lists each check's name, max error, tolerance and
 * seed. {@link addBadges} places one after every `<a class="eq-number">` of a chapter's HTML, which
 * `equations.ts` writes as `<a href="#LABEL" class="eq-number">(N.k)</a>`.
 *
 * @module
 */
import katex from "katex";
import { smartQuotes } from "./smart_quotes.ts";
import { katexOptions } from "./katex.ts";
import { withMinusSigns } from "./minus.ts";
import type { EquationVerification, VerificationRow } from "./verification.ts";

const MARK = { verified: "✓", failed: "✗", unchecked: "?" } as const;
/** Engine checks passed but the printed LaTeX was not evaluated: never the same mark as ✓. */
const ENGINE_ONLY_MARK = "⚙";

function escapeHtml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/**
 * Text with `$…$` math spans: each span rendered by KaTeX; the text between escaped, with
 * typographic quotes, its numbers' minus signs set as U+2212 ("1e-16" as "1e−16", "[-12, 14]" as
 * "[−12, 14]") and "+-" as "±": the check names and tolerance reasons are written in code, in
 * plain ASCII.
 *
 * @example
 * ```ts
 * import { mathText } from "./badges.ts";
 * const html = mathText("round-off ~1e-16 over +-14 sd on [-12, 14] & x-2");
 * if (html !== "round-off ~1e\u221216 over ±14 sd on [\u221212, 14] &amp; x-2") throw new Error(html);
 * ```
 */
export function mathText(s: string): string {
  return s.split(/(\$[^$]+\$)/).map((part) =>
    part.length > 2 && part.startsWith("$") && part.endsWith("$")
      ? katex.renderToString(part.slice(1, -1), { ...katexOptions, throwOnError: false })
      : escapeHtml(withMinusSigns(smartQuotes(part.replaceAll("+-", "±"))))
  ).join("");
}

function num(x: number | string): string {
  return typeof x === "number" ? (x === 0 ? "0" : withMinusSigns(x.toPrecision(2))) : x;
}

function checkItem(c: VerificationRow): string {
  return `<li class="${c.passed ? "pass" : "fail"}"><strong>${mathText(c.name)}</strong>: ` +
    `max error ${num(c.maxError)} ${c.passed ? "≤" : ">"} tolerance ${num(c.tolerance)} ` +
    `(${mathText(c.toleranceReason)}); seed ${c.seed}, ${c.samples} samples</li>`;
}

/** The sentence on the printed equation, kept apart from the engine checks. */
function printedLine(v: EquationVerification | undefined): string {
  const p = v?.printed;
  if (!p) return "";
  if (p.evaluated) {
    return `<p class="eq-badge-printed">The printed equation was evaluated at ${p.samples} ` +
      `points, max error ${num(p.maxError ?? 0)} ≤ ${num(p.tolerance ?? 0)}.</p>`;
  }
  return `<p class="eq-badge-printed">The printed equation was not evaluated: ` +
    `${mathText(p.reason ?? "")}.</p>`;
}

/**
 * One equation's badge.
 *
 * @param label the equation label
 * @param v what is known about it; undefined when the page was rendered without verification
 * @returns the badge's HTML
 * @example
 * ```ts
 * import { badgeHtml } from "./badges.ts";
 * const html = badgeHtml("eq:a", { label: "eq:a", status: "verified", source: "report",
 *   checks: [{ label: "eq:a", name: "closed form vs quadrature", passed: true,
 *     maxError: 3.9e-14, tolerance: 1e-12, toleranceReason: "round-off", seed: 101, samples: 12 }] });
 * if (!html.includes("eq-badge-verified") || !html.includes("3.9e\u221214") || !html.includes("seed 101")) {
 *   throw new Error(html);
 * }
 * ```
 */
export function badgeHtml(label: string, v: EquationVerification | undefined): string {
  const status = v?.status ?? "unchecked";
  const n = v?.checks.length ?? 0;
  const engineOnly = status === "verified" && v?.printed?.evaluated === false;
  const title = engineOnly
    ? `Engine checks passed (${n}); the printed equation was not evaluated`
    : status === "verified" && v?.printed?.evaluated
    ? `Verified: the printed equation was evaluated, and ${n - 1} engine check${
      n === 2 ? "" : "s"
    } passed`
    : status === "verified"
    ? `Verified: ${n} numeric check${n === 1 ? "" : "s"} passed`
    : status === "failed"
    ? `Not verified: ${v!.checks.filter((c) => !c.passed).length} of ${n} checks failed`
    : "Not verified: no check ran for this equation";
  const body = n > 0
    ? `<ul>${v!.checks.map(checkItem).join("")}</ul>`
    : `<p>No check for <code>${escapeHtml(label)}</code> ran in this build.</p>`;
  const source = v ? `<p class="eq-badge-source">Source: ${escapeHtml(v.source)}</p>` : "";
  const printed = v?.printed ? (v.printed.evaluated ? "evaluated" : "not-evaluated") : "unknown";
  const cls = engineOnly ? ` eq-badge-engine-only` : "";
  const mark = engineOnly ? ENGINE_ONLY_MARK : MARK[status];
  return `<details class="eq-badge eq-badge-${status}${cls}" data-status="${status}" ` +
    `data-printed="${printed}"><summary title="${escapeHtml(title)}" ` +
    `aria-label="${escapeHtml(title)}">${mark}</summary><div class="eq-badge-body">` +
    `<p><strong>${escapeHtml(title)}</strong></p>${printedLine(v)}${body}${source}</div></details>`;
}

const EQ_NUMBER = /<a href="#(eq:[a-z0-9-]+)" class="eq-number">\([0-9.]+\)<\/a>/g;

/**
 * Puts a badge after every equation number in a chapter's HTML.
 *
 * @param html a part of a chapter, as the pipeline rendered it
 * @param verification by label; undefined when the page was rendered without verification
 * @returns the HTML with badges
 * @example
 * ```ts
 * import { addBadges } from "./badges.ts";
 * const html = '<div class="equation"><a href="#eq:a" class="eq-number">(1.1)</a></div>';
 * const out = addBadges(html, {});
 * if (!out.includes('</a><details class="eq-badge eq-badge-unchecked"')) throw new Error(out);
 * ```
 */
export function addBadges(
  html: string,
  verification: Record<string, EquationVerification> | undefined,
): string {
  return html.replace(EQ_NUMBER, (a, label: string) => a + badgeHtml(label, verification?.[label]));
}
