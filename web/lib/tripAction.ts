import { ApiError } from "./api";
import type { Trip } from "./types";

/** Runs a trip action from a button: the new trip on success, the gateway's problem detail on failure. */
export async function runTripAction(action: () => Promise<Trip>, onChanged: (trip: Trip) => void, onError: (message: string | null) => void): Promise<void> {
  onError(null);
  try {
    onChanged(await action());
  } catch (e) {
    onError(e instanceof ApiError ? e.message : "Something went wrong. Try again.");
  }
}
