/**
 * Saving and loading a trained model (the Train demo): Save in browser (IndexedDB), Load saved,
 * Export file and Import file, in the format of `saved_run.ts`. A loaded model can be trained
 * further: it comes back in the same slot, at its step, and Train goes on from there.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import type { TrainConfig } from "./config.ts";
import { getSavedRun, putSavedRun } from "./model_store.ts";
import { parseSavedRun, SAVED_RUN_FORMAT, type SavedRun, savedRunFileName } from "./saved_run.ts";
import type { DemoRun } from "./use_demo_run.ts";

/** Props of {@link SavedModels}. */
export interface SavedModelsProps {
  run: DemoRun;
  /** The IndexedDB slot of this demo's saved model. */
  storeKey: string;
  /** The settings and drawn points of the model now. */
  current(): { config: TrainConfig; points?: number[] };
  /** One line about a saved run (data set, step, date). */
  describe(run: SavedRun): string;
  /** The island takes over a loaded run's settings (and clears its pictures). */
  onLoad(run: SavedRun): void;
}

/** The buttons, the file picker and a line about what this browser holds. */
export function SavedModels(props: SavedModelsProps) {
  const { run } = props;
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState("");

  useEffect(() => {
    getSavedRun(props.storeKey).then((text) => {
      if (text) setSaved(props.describe(parseSavedRun(text)));
    }).catch(() => {}); // no IndexedDB (or nothing readable): no saved model to offer
  }, []);

  const save = async (how: "browser" | "file") => {
    try {
      const { model, step } = await run.ask<{ model: string; step: number }>({ kind: "save" });
      const { config, points } = props.current();
      const saving: SavedRun = {
        format: SAVED_RUN_FORMAT,
        config,
        ...(config.dataset === "drawn" ? { points } : {}),
        step,
        savedAt: new Date().toISOString(),
        model,
      };
      const text = JSON.stringify(saving);
      if (how === "file") {
        const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = savedRunFileName(saving);
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
        setMessage(`Exported the model at step ${step} as a file.`);
        return;
      }
      await putSavedRun(props.storeKey, text);
      setSaved(props.describe(saving));
      setMessage(`Saved the model at step ${step} in this browser.`);
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };
  const loadText = (text: string) => {
    let loaded: SavedRun;
    try {
      loaded = parseSavedRun(text);
    } catch (error) {
      setMessage((error as Error).message);
      return;
    }
    setMessage("");
    props.onLoad(loaded);
    run.load({ config: loaded.config, points: loaded.points }, loaded.model, loaded.step);
  };
  const loadSaved = () =>
    getSavedRun(props.storeKey).then((text) => text && loadText(text)).catch((error) =>
      setMessage(String(error))
    );
  const importFile = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) file.text().then(loadText);
    input.value = "";
  };

  const cannotLoad = run.running || !run.available;
  return (
    <div class="demo-buttons demo-store" role="group" aria-label="Saved models">
      <button
        type="button"
        onClick={() => save("browser")}
        disabled={!run.hasModel}
        data-testid="save"
      >
        Save in browser
      </button>
      <button type="button" onClick={loadSaved} disabled={!saved || cannotLoad} data-testid="load">
        Load saved
      </button>
      <button
        type="button"
        onClick={() => save("file")}
        disabled={!run.hasModel}
        data-testid="export"
      >
        Export file
      </button>
      <label class={cannotLoad ? "demo-file demo-disabled" : "demo-file"}>
        Import file…
        <input
          type="file"
          accept="application/json,.json"
          onChange={importFile}
          disabled={cannotLoad}
          data-testid="import"
        />
      </label>
      <span class="demo-muted" data-testid="saved">
        {saved ? `In this browser: ${saved}` : "Nothing saved in this browser yet."}
      </span>
      {message && (
        <span class="demo-muted" role="status" data-testid="store-message">{message}</span>
      )}
    </div>
  );
}
