// What the scanner keeps on the device (localStorage in the browser; anything with getItem/setItem in tests).
export const PREFIX = "ehScanner.";

export function createStore(storage, prefix = PREFIX) {
  return {
    load(key, fallback) {
      try {
        const value = storage.getItem(prefix + key);
        return value === null ? fallback : JSON.parse(value);
      } catch {
        return fallback;
      }
    },
    save(key, value) {
      try {
        storage.setItem(prefix + key, JSON.stringify(value));
      } catch {
        // Storage full or disabled: the scanner keeps working from memory.
      }
    },
  };
}
