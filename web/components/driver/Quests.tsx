"use client";

import { api } from "@/lib/api";
import { money } from "@/lib/format";
import { useLoad } from "@/lib/useLoad";
import type { DriverQuest, LatLng, Session } from "@/lib/types";

/** "Fri 04:00": when a quest ends, as this phone's language writes a weekday and time. */
function until(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit", hour12: false });
}

/**
 * The driver's quests (ADR 0038) on the earnings card: each running one as "Weekend rush: 12 of 30 rides — $45.00 bonus,
 * until Fri 04:00" over a progress bar, "Earned" once its bonus is theirs; ended ones only when earned. Where the car is
 * (to about a kilometre, so driving does not ask at every move) leaves other cities' quests out. Read again when
 * <paramref name="version"/> changes (a driver.quest message, a completed ride).
 */
export function Quests({ session, version, location }: { session: Session; version: number; location?: LatLng }) {
  const lat = location ? Math.round(location.lat * 100) / 100 : undefined;
  const lng = location ? Math.round(location.lng * 100) / 100 : undefined;
  const { data: quests } = useLoad(
    () => api.myQuests(session, lat !== undefined && lng !== undefined ? { lat, lng } : undefined),
    [session, version, lat, lng],
    "",
  );
  const shown = (quests ?? []).filter((q) => q.quest.status === "active" || q.earned);
  if (shown.length === 0) return null;
  return (
    <ul className="mt-3 flex flex-col gap-2 text-sm" aria-label="Quests" data-testid="quest-list">
      {shown.map((q) => (
        <QuestRow key={q.quest.id} quest={q} />
      ))}
    </ul>
  );
}

function QuestRow({ quest: q }: { quest: DriverQuest }) {
  const done = Math.min(q.done ?? 0, q.target);
  const label = `${q.quest.name}: ${done} of ${q.target} ${q.target === 1 ? "ride" : "rides"}`;
  return (
    <li className="flex flex-col gap-1" data-testid={`quest-${q.quest.id}`}>
      <span>
        <strong data-testid="quest-progress-text">{label}</strong> — {money(q.quest.bonus)} bonus
        {q.earned ? (
          <span className="ml-1 rounded bg-green-100 px-1 text-green-800" data-testid="quest-earned">
            Earned
          </span>
        ) : (
          <>, until {until(q.quest.endedAt || q.quest.endsAt)}</>
        )}
      </span>
      <span
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={q.target}
        aria-valuenow={done}
        className="block h-2 w-full rounded bg-slate-200"
        data-testid="quest-progress"
      >
        <span className={`block h-2 rounded ${q.earned ? "bg-green-600" : "bg-blue-600"}`} style={{ width: `${Math.round((100 * done) / q.target)}%` }} />
      </span>
    </li>
  );
}
