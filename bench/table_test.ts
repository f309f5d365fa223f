import { formatNumber, formatTable, median, meets, type Row } from "./table.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

Deno.test("median of odd and even counts, unsorted input left alone", () => {
  const values = [5, 1, 4, 2, 3];
  assert(median(values) === 3, "odd");
  assert(values.join() === "5,1,4,2,3", "input not sorted in place");
  assert(median([10, 2, 4, 8]) === 6, "even: mean of 4 and 8");
  assert(median([7]) === 7, "one value");
  let error: unknown;
  try {
    median([]);
  } catch (e) {
    error = e;
  }
  assert(error instanceof RangeError, "empty throws");
});

Deno.test("numbers keep three significant digits", () => {
  const cases: [number, string][] = [
    [3000.4, "3,000"],
    [123.456, "123"],
    [12.34, "12.3"],
    [2.5, "2.5"],
    [2, "2"],
    [0.0456, "0.0456"],
    [0.002, "2.00e-3"],
    [-0.5, "-0.5"],
    [0, "0"],
    [NaN, "n/a"],
  ];
  for (const [v, text] of cases) assert(formatNumber(v) === text, `${v}: ${formatNumber(v)}`);
});

Deno.test("goals: >= and <=, unjudgeable values", () => {
  assert(meets(2, ">= 2") === true, "equal meets >=");
  assert(meets(1.99, ">= 2") === false, "below");
  assert(meets(0.5, "<= 0.5") === true, "equal meets <=");
  assert(meets(30001, "<= 30000") === false, "above");
  assert(meets("skipped", ">= 2") === undefined, "text");
  assert(meets(NaN, ">= 2") === undefined, "NaN");
  assert(meets(3, "fast") === undefined, "no comparison");
});

Deno.test("table: aligned columns, units, status words, text values", () => {
  const rows: Row[] = [
    { section: "deno/wasm", name: "speed-up", value: 2.345, unit: "x", goal: ">= 2", ok: true },
    { section: "quality", name: "swiss roll", value: 75, unit: "s", goal: "<= 60", ok: false },
    { section: "tests", name: "deno task test", value: "skipped", unit: "", note: "opt in" },
  ];
  const lines = formatTable(rows).split("\n");
  assert(lines.length === 5, `header, rule, 3 rows: ${lines.length}`);
  assert(lines[0].startsWith("section   | measure"), lines[0]);
  assert(/^-+-\|-/.test(lines[1]), lines[1]);
  assert(lines[2].includes("| 2.35 x ") && lines[2].includes("| ok"), lines[2]);
  assert(lines[3].includes("| 75 s ") && lines[3].includes("MISSED"), lines[3]);
  assert(lines[4].includes("| skipped") && lines[4].endsWith("opt in"), lines[4]);
  // Every row's separators line up with the header's.
  const bars = (l: string) => [...l.matchAll(/\|/g)].map((m) => m.index).join();
  assert(bars(lines[2]) === bars(lines[0]) && bars(lines[4]) === bars(lines[0]), "aligned");
});
