/**
 * The boxes the site gives `content-visibility: auto` (`static/styles.css`): chapter sections and
 * their chunks (`lib/book/sections.ts`). The browser skips their contents far from view, so a test
 * that checks or measures a whole page renders them first: axe does not check what is not
 * rendered, a screenshot does not draw it, and WebKit gives it no box to click.
 *
 * @module
 */

/** A selector for every box the site may skip. */
export const SKIPPED_BOXES = ".prose section.part, .prose section.part > .chunk";

/** A style rule that renders every one of {@linkcode SKIPPED_BOXES} (`!important`, so it wins). */
export const RENDER_SKIPPED = `${SKIPPED_BOXES} { content-visibility: visible !important; }`;
