import type { ReactNode } from "react";
import { Notice } from "../ui";

/** One clickable row of an <see cref="OpsList"/>: what it opens, its test id and data attributes, and what it shows. */
export type OpsRow = { key: string; onOpen: () => void; testId: string; data?: Record<`data-${string}`, string>; stacked?: boolean; content: ReactNode };

/**
 * A list the console read: its error, "Loading…" until it is read, <paramref name="empty"/> when there is nothing, and
 * otherwise one button per item (a trip, a help request) that opens it. Stacked rows put their parts one under another.
 */
export function OpsList<T>(props: { items: T[] | undefined; error?: string | null; empty: string; label: string; row: (item: T) => OpsRow }) {
  const { items, error } = props;
  return (
    <>
      {error && <Notice kind="error">{error}</Notice>}
      {items === undefined ? (
        !error && <p className="text-sm text-slate-600">Loading…</p>
      ) : items.length === 0 ? (
        <p className="text-sm text-slate-600">{props.empty}</p>
      ) : (
        <ul className="divide-y divide-slate-200 text-sm" aria-label={props.label}>
          {items.map(props.row).map((row) => (
            <li key={row.key}>
              <button
                type="button"
                className={`flex w-full ${row.stacked ? "flex-col gap-0.5" : "flex-wrap justify-between gap-2"} px-1 py-2 text-left hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500`}
                onClick={row.onOpen}
                data-testid={row.testId}
                {...row.data}
              >
                {row.content}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
