/**
 * A clock for the handler (`createDeps`'s `now`) that keeps real time until a test pauses it.
 * Paused, it moves only when the test moves it: whatever it times (a room's rates, the wait of a
 * trailing update) waits for the test, however slow the machine, instead of for a real window.
 */
export const pausableClock = () => {
  // Added to the real time while running; kept on resuming, so the clock never goes back.
  let offset = 0;
  let pausedAt: number | undefined;
  return {
    now: () => pausedAt ?? Date.now() + offset,
    pause() {
      pausedAt ??= Date.now() + offset;
    },
    /** Moves the clock on by `ms`, paused or not. */
    advance(ms: number) {
      if (pausedAt === undefined) offset += ms;
      else pausedAt += ms;
    },
    resume() {
      if (pausedAt === undefined) return;
      offset = pausedAt - Date.now();
      pausedAt = undefined;
    },
  };
};

export type PausableClock = ReturnType<typeof pausableClock>;
