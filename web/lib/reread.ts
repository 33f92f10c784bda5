/**
 * What another service records when a Kafka event reaches it shows up a moment after an action: read it again after
 * each of these waits, showing every read, until it says the change arrived (or the waits run out; Refresh reads it
 * again). Stops when the page no longer wants it (`alive`). A read that fails is left to the next one.
 */
export async function rereadUntil<T>(
  read: () => Promise<T>,
  arrived: (value: T) => boolean,
  show: (value: T) => void,
  alive: () => boolean,
  delaysMs: readonly number[] = [500, 750, 1000, 1500, 2000, 3000],
): Promise<void> {
  for (const wait of delaysMs) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    if (!alive()) return;
    try {
      const value = await read();
      if (!alive()) return;
      show(value);
      if (arrived(value)) return;
    } catch {
      // The next read tries again; Refresh does too.
    }
  }
}
