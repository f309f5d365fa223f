/**
 * Saved models in the reader's browser (IndexedDB): one slot per key, holding a saved run's JSON
 * text (`saved_run.ts`). Nothing leaves the browser.
 *
 * @module
 */

/** The database and store names. */
export const MODEL_DB = "diffusion-book";
const STORE = "models";

function open(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(MODEL_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () =>
      reject(new Error(`Cannot open the model store as IndexedDB failed: ${request.error}`));
  });
}

async function transact<T>(
  factory: IDBFactory,
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest,
): Promise<T> {
  const db = await open(factory);
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = work(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result as T);
      request.onerror = () =>
        reject(new Error(`Cannot use the model store as IndexedDB failed: ${request.error}`));
    });
  } finally {
    db.close();
  }
}

/**
 * Stores a saved run's text under `key` (replacing what was there).
 *
 * @param key The slot, e.g. the island's name.
 * @param text The saved run's JSON.
 * @param factory IndexedDB (the page's by default).
 */
export async function putSavedRun(
  key: string,
  text: string,
  factory: IDBFactory = indexedDB,
): Promise<void> {
  await transact(factory, "readwrite", (s) => s.put(text, key));
}

/**
 * Reads the saved run's text under `key`.
 *
 * @param key The slot.
 * @param factory IndexedDB (the page's by default).
 * @returns The text, or undefined when nothing is saved.
 */
export function getSavedRun(
  key: string,
  factory: IDBFactory = indexedDB,
): Promise<string | undefined> {
  return transact<string | undefined>(factory, "readonly", (s) => s.get(key));
}
