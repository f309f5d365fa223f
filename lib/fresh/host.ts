/**
 * The `Host` header, checked before anything routes on it. Deno builds `req.url` as
 * `http://` + Host + the request target, so a Host with a space, a bad port or a path either makes
 * `new URL(req.url)` throw or moves the path (`Host: a/source/x.ts?` turns `GET /chapters/b` into
 * `/source/x.ts`). Only a host name, an IPv4 address or a bracketed IPv6 address, with an optional
 * port of at most 65535, is accepted (RFC 9110 section 7.2 with RFC 3986's `host [ ":" port ]`,
 * less the forms no browser sends: no user info, no percent escapes, no empty port).
 *
 * @module
 */

/** A DNS name or IPv4 address: labels of letters, digits, `-` and `_`, joined by dots. */
const NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;
const IPV6 = /^\[[0-9A-Fa-f:.]{2,45}\]$/;
const PORT = /^[0-9]{1,5}$/;

/** The longest host name accepted (RFC 1035's 253 characters, plus a trailing dot). */
export const MAX_HOST_NAME = 254;

/**
 * Is `host` a host name or address with an optional port, and nothing else?
 *
 * @param host The `Host` header's value.
 * @returns true for `example.org`, `127.0.0.1:8000`, `[::1]:8000`; false for `a b`,
 *   `example.org:99999`, `[::1`, `a:1:2`, `a/b`, `a@b`, `""`.
 *
 * @example
 * ```ts
 * import { isValidHost } from "./host.ts";
 * if (!isValidHost("127.0.0.1:8124") || !isValidHost("[::1]") || !isValidHost("Book.Example")) {
 *   throw new Error("refused a good host");
 * }
 * for (const bad of ["a b", "evil.example:99999", "[::1", "127.0.0.1:8124:1", "a/x?", ""]) {
 *   if (isValidHost(bad)) throw new Error(`accepted ${bad}`);
 * }
 * ```
 */
export function isValidHost(host: string): boolean {
  let name = host;
  let port: string | undefined;
  const close = host.lastIndexOf("]");
  const colon = host.lastIndexOf(":");
  if (colon > close) {
    name = host.slice(0, colon);
    port = host.slice(colon + 1);
    if (!PORT.test(port) || Number(port) > 65535) return false;
  }
  if (name.startsWith("[")) {
    if (!IPV6.test(name)) return false;
    try {
      return new URL(`http://${name}/`).hostname !== ""; // the URL parser checks the address
    } catch {
      return false;
    }
  }
  return name.length <= MAX_HOST_NAME && NAME.test(name);
}
