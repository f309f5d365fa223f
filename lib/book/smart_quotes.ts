/**
 * Typographic quotes for text that does not pass through the chapter's remark pipeline (a
 * chapter's front matter: title, summary, question), with the same plugin and options as the
 * prose, so that "can't" reads "can’t" in the question box as it does in the text.
 *
 * @module
 */
import { unified } from "unified";
import remarkSmartypants from "remark-smartypants";
import type { Root } from "npm:@types/mdast@4.0.4";

/** The options the pipeline gives remark-smartypants: quotes only (dashes are the author's). */
export const SMARTYPANTS = {
  quotes: true,
  backticks: false,
  dashes: false,
  ellipses: false,
} as const;

/** One processor for every call: each badge and caption fragment is a call. */
const quotes = unified().use(remarkSmartypants, SMARTYPANTS).freeze();

/**
 * `text` with straight quotes and apostrophes made typographic.
 *
 * @param text Plain text (no Markdown is parsed).
 * @returns The text with ’ ‘ “ ” for ' and ".
 * @example
 * ```ts
 * import { smartQuotes } from "./smart_quotes.ts";
 * const s = smartQuotes(`why can't we "simply" run it -- backwards?`);
 * if (s !== "why can’t we “simply” run it -- backwards?") throw new Error(s);
 * ```
 */
export function smartQuotes(text: string): string {
  if (!/['"]/.test(text)) return text; // most badge and caption fragments have no quote at all
  const tree: Root = {
    type: "root",
    children: [{ type: "paragraph", children: [{ type: "text", value: text }] }],
  };
  const out = quotes.runSync(tree) as Root;
  const paragraph = out.children[0];
  return paragraph.type === "paragraph" && paragraph.children[0]?.type === "text"
    ? paragraph.children[0].value
    : text;
}
