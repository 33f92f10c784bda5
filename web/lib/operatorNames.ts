import { useEffect, useSyncExternalStore } from "react";
import { api } from "./api";
import type { Session } from "./types";

/**
 * What the desk knows of the support accounts (ADR 0054): each one's name by id, from `GET /api/ops/operators`; asking:
 * ids unknown at the last read that are being read again (until then they are named by id).
 */
export type OperatorNames = { byId: ReadonlyMap<string, string>; asking: ReadonlySet<string> };

/** What services write where a support account would be, when no account acted. */
const notAccounts: Record<string, string> = {
  payments: "payments (automatic)",
  "operator-key": "a script (operator key)",
  support: "support",
  system: "the system",
};

/**
 * Who did something, as the desk says it: "you" (the signed-in account), the colleague's name (with "(suspended)" while
 * their account is: what they did stands, but they cannot be asked about it at the desk), "a former support account"
 * (an id the list did not name when read again), or "support account {id}" while the names are read.
 */
export function whoDid(id: string, you: string, names: OperatorNames | null): string {
  if (id === you) return "you";
  const name = names?.byId.get(id);
  if (name) return name;
  if (!names || names.asking.has(id)) return `support account ${id}`;
  return "a former support account";
}

/** What a service wrote where a support account would be ("the system"), said in words; undefined for an account. */
export function notAnAccount(by: string): string | undefined {
  return notAccounts[by];
}

/** whoDid for what a service recorded as who acted, which may be no account: payments itself, a script with the operator key. */
export function whoActed(by: string, you: string, names: OperatorNames | null): string {
  return notAccounts[by] ?? whoDid(by, you, names);
}

/** The names as read for one signed-in support account: every desk view of the session shares them. */
type Desk = { userId: string; names: OperatorNames | null; reading: boolean; askedAgain: Set<string> };
let desk: Desk | null = null;
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function publish(read: Desk, names: OperatorNames) {
  read.names = names;
  if (desk === read) listeners.forEach((listener) => listener());
}

async function read(session: Session, into: Desk) {
  into.reading = true;
  try {
    const { operators } = await api.opsOperators(session);
    into.reading = false;
    publish(into, { byId: new Map(operators.map((o) => [o.id, o.suspended ? `${o.name} (suspended)` : o.name])), asking: new Set() });
  } catch {
    into.reading = false;
    // The first read failed: the next desk view reads again. A later one: the ids asked about stay named by id.
    if (!into.names && desk === into) desk = null;
  }
}

/** Reads the names once for the session; an id they do not name (a colleague added since) reads them again, once per id. */
function ensure(session: Session, ids: readonly string[]) {
  if (desk?.userId !== session.userId) {
    desk = { userId: session.userId, names: null, reading: false, askedAgain: new Set() };
    void read(session, desk);
    return;
  }
  const current = desk;
  const names = current.names;
  if (!names || current.reading) return;
  const unknown = ids.filter((id) => id !== session.userId && !(id in notAccounts) && !names.byId.has(id) && !current.askedAgain.has(id));
  if (unknown.length === 0) return;
  unknown.forEach((id) => current.askedAgain.add(id));
  publish(current, { byId: names.byId, asking: new Set([...names.asking, ...unknown]) });
  void read(session, current);
}

/**
 * The support accounts' names for whoDid, read once per desk session and shared by every view; null until read. ids: the
 * ones the caller shows — one the names do not know has them read again (once), so a colleague added since is named.
 */
export function useOperatorNames(session: Session | null, ids: readonly (string | null | undefined)[] = []): OperatorNames | null {
  const names = useSyncExternalStore(
    subscribe,
    () => (session && desk?.userId === session.userId ? desk.names : null),
    () => null,
  );
  const shown = [...new Set(ids.filter((id): id is string => !!id))].sort().join(" ");
  useEffect(() => {
    if (session) ensure(session, shown ? shown.split(" ") : []);
  }, [session, shown, names]);
  return names;
}
