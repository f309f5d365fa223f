/**
 * Island props to text and back. JSON cannot hold `undefined`, `NaN`, `Infinity`, `-0`, `Date`,
 * `Map`, `Set`, `BigInt` or typed arrays (Fresh #1131: `Infinity` became `null`), so every array in
 * the encoded form is tagged by its first element and special values become tagged arrays. The text
 * is safe inside `<script type="application/json">`: no `<` and no U+2028/U+2029 survive (Fresh #739).
 * DOM-free and small: the client boot imports it too.
 *
 * @module
 */

type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Sets an own property, even one named `__proto__`, without touching the prototype. */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function encodeNumber(x: number): Encoded {
  if (Number.isNaN(x)) return ["n", "NaN"];
  if (x === Infinity) return ["n", "Infinity"];
  if (x === -Infinity) return ["n", "-Infinity"];
  if (Object.is(x, -0)) return ["n", "-0"];
  return x;
}

function encode(value: unknown, path: string, ancestors: object[]): Encoded {
  switch (typeof value) {
    case "undefined":
      return ["u"];
    case "boolean":
    case "string":
      return value;
    case "number":
      return encodeNumber(value);
    case "bigint":
      return ["b", value.toString()];
    case "function":
    case "symbol":
      throw new TypeError(`Cannot serialise ${path} as it is a ${typeof value}`);
  }
  if (value === null) return null;
  const obj = value as object;
  if (ancestors.includes(obj)) {
    throw new TypeError(`Cannot serialise ${path} as it is a circular reference`);
  }
  ancestors.push(obj);
  try {
    return encodeObject(obj, path, ancestors);
  } finally {
    ancestors.pop();
  }
}

function encodeObject(obj: object, path: string, ancestors: object[]): Encoded {
  if (Array.isArray(obj)) {
    return ["a", ...Array.from(obj, (x, i) => encode(x, `${path}[${i}]`, ancestors))];
  }
  if (obj instanceof Date) return ["d", encodeNumber(obj.getTime())];
  if (obj instanceof Map) {
    return [
      "m",
      ...[...obj].map(([k, v], i) =>
        [
          "a",
          encode(k, `${path}.<key ${i}>`, ancestors),
          encode(v, `${path}.<value ${i}>`, ancestors),
        ] as Encoded
      ),
    ];
  }
  if (obj instanceof Set) {
    return ["s", ...[...obj].map((x, i) => encode(x, `${path}.<item ${i}>`, ancestors))];
  }
  if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
    const name = obj.constructor.name as TypedArrayName;
    if (TYPED_ARRAYS[name] === undefined) {
      throw new TypeError(`Cannot serialise ${path} as typed array ${name} is not supported`);
    }
    return ["t", name, toBase64(new Uint8Array(obj.buffer, obj.byteOffset, obj.byteLength))];
  }
  const proto = Object.getPrototypeOf(obj);
  const own = obj as Record<string, unknown>;
  if (proto !== Object.prototype && proto !== null) {
    const kind = proto?.constructor?.name ?? "unknown";
    throw new TypeError(`Cannot serialise ${path} as it is an instance of ${kind}`);
  }
  if (Object.hasOwn(own, "constructor") && own.constructor === undefined && "props" in own) {
    throw new TypeError(`Cannot serialise ${path} as it is a JSX element`);
  }
  const out: Record<string, Encoded> = {};
  for (const key of Object.keys(own)) {
    setOwn(out, key, encode(own[key], `${path}.${key}`, ancestors));
  }
  return out;
}

function decodeNumber(x: Encoded): number {
  return typeof x === "number" ? x : Number((x as Encoded[])[1] as string);
}

function decode(x: Encoded): unknown {
  if (x === null || typeof x !== "object") return x;
  if (!Array.isArray(x)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(x)) setOwn(out, key, decode(x[key]));
    return out;
  }
  const rest = x.slice(1);
  switch (x[0]) {
    case "u":
      return undefined;
    case "n":
      return Number(x[1]); // Number("-0") is -0, Number("NaN") is NaN
    case "b":
      return BigInt(x[1] as string);
    case "a":
      return rest.map(decode);
    case "d":
      return new Date(decodeNumber(x[1]));
    case "m":
      return new Map(rest.map((pair) => decode(pair) as [unknown, unknown]));
    case "s":
      return new Set(rest.map(decode));
    case "t": {
      const Ctor = TYPED_ARRAYS[x[1] as TypedArrayName];
      const bytes = fromBase64(x[2] as string);
      return new Ctor(bytes.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
    }
  }
  throw new SyntaxError(`Cannot deserialise value as tag ${JSON.stringify(x[0])} is unknown`);
}

/**
 * Encodes `value` as JSON text that keeps the values plain JSON loses, escaped so that it can sit
 * inside a `<script>` element: no `<`, U+2028 or U+2029 appears in the output.
 *
 * @param value Props: plain objects, arrays, primitives, `Date`, `Map`, `Set`, typed arrays.
 * @returns JSON text for {@linkcode deserialize}.
 * @throws TypeError for functions, symbols, class instances, JSX elements and circular references;
 *   the message names the path, e.g. `Cannot serialise props.onClick as it is a function`.
 *
 * @example Round trip of values JSON alone would lose
 * ```ts
 * import { deserialize, serialize } from "./serialize.ts";
 * const text = serialize({ x: Infinity, s: "</script>" });
 * if (text.includes("<")) throw new Error("a < survived");
 * const back = deserialize(text) as { x: number; s: string };
 * if (back.x !== Infinity || back.s !== "</script>") throw new Error("round trip failed");
 * ```
 */
export function serialize(value: unknown, name = "value"): string {
  return JSON.stringify(encode(value, name, []))
    .replaceAll("<", "\\u003c")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

/**
 * Decodes text written by {@linkcode serialize}.
 *
 * @param text The JSON text.
 * @returns The value, with `Date`, `Map`, `Set`, typed arrays and special numbers revived.
 *
 * @example
 * ```ts
 * import { deserialize, serialize } from "./serialize.ts";
 * const back = deserialize(serialize(new Set([1, -0]))) as Set<number>;
 * if (!back.has(1) || back.size !== 2) throw new Error("set not revived");
 * ```
 */
export function deserialize(text: string): unknown {
  return decode(JSON.parse(text) as Encoded);
}
