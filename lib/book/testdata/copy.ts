/**
 * Test helper: copies a folder's files (not recursive) into a new folder.
 *
 * @module
 */

/** Copies every file in `from` into `to` (created). */
export async function copy(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isFile) await Deno.copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}
