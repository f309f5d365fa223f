import { lazyWorker, type TypedWorker } from "./lazy_worker.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

function fakes() {
  const made: (TypedWorker<string, number> & { sent: string[]; stopped: boolean })[] = [];
  const make = () => {
    const w = {
      sent: [] as string[],
      stopped: false,
      postMessage(m: string) {
        w.sent.push(m);
      },
      terminate() {
        w.stopped = true;
      },
      onmessage: null as TypedWorker<string, number>["onmessage"],
      onerror: null as TypedWorker<string, number>["onerror"],
    };
    made.push(w);
    return w;
  };
  return { made, make };
}

Deno.test("starts on the first post, once; send before that is dropped", () => {
  const { made, make } = fakes();
  const w = lazyWorker<string, number>(make, () => {}, () => {});
  w.send("pause");
  assert((made.length as number) === 0 && !w.started, "nothing started by send");
  w.post("start");
  w.send("pause");
  w.post("again");
  assert((made.length as number) === 1, `one worker, made ${made.length}`);
  assert(made[0].sent.join() === "start,pause,again", made[0].sent.join());
});

Deno.test("reports reach onReport; a failure reaches onFailure with its message and is handled", () => {
  const { made, make } = fakes();
  const reports: number[] = [], failures: string[] = [];
  const w = lazyWorker<string, number>(make, (r) => reports.push(r), (f) => failures.push(f));
  w.post("start");
  made[0].onmessage!({ data: 7 } as MessageEvent<number>);
  let prevented = false;
  made[0].onerror!(
    { message: "", preventDefault: () => prevented = true } as unknown as ErrorEvent,
  );
  made[0].onerror!({ message: "boom" } as ErrorEvent);
  assert(reports.join() === "7", `reports ${reports}`);
  assert(failures.join() === "load error,boom", `failures ${failures}`);
  assert(prevented, "the error event is marked handled");
});

Deno.test("terminate stops the worker and the next post starts a fresh one", () => {
  const { made, make } = fakes();
  const w = lazyWorker<string, number>(make, () => {}, () => {});
  w.post("a");
  w.terminate();
  assert(made[0].stopped && !w.started, "stopped");
  w.post("b");
  assert(made.length === 2 && made[1].sent.join() === "b", "a fresh worker");
});
