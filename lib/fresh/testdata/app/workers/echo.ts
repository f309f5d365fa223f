// An extra bundle entry of the fixture (a stand-in for a Web Worker).
import { h } from "preact";

export const marker = "echo-worker-entry";
globalThis.addEventListener?.("message", (e) => console.log(h("b", null, String(e))));
