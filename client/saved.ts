/** localStorage as JSON; storage is optional, so a refusal reads as the fallback. */
export const saved = {
  get(key: string, fallback: unknown): unknown {
    try {
      const raw = localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch {
      return fallback;
    }
  },
  set(key: string, value: unknown) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // storage is optional
    }
  },
  remove(key: string) {
    try {
      localStorage.removeItem(key);
    } catch {
      // storage is optional
    }
  },
};

/** A saved list, or an empty one when what is saved is not a list. */
export const savedList = (key: string): unknown[] => {
  const value = saved.get(key, []);
  return Array.isArray(value) ? value : [];
};
