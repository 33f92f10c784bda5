"use client";

import { useEffect, useState } from "react";
import { api } from "@/lib/api";
import { money } from "@/lib/format";
import type { EarningsSummary, LatLng, Money, QuestBonus, Session } from "@/lib/types";
import { MailButton } from "../MailButton";
import { EarningsCsv } from "./EarningsCsv";
import { Quests } from "./Quests";
import { Card } from "../ui";

type Item = NonNullable<EarningsSummary["items"]>[number];

/**
 * Rides paid in cash over the last 7 days (ADR 0042): what the driver collected and holds, and the platform's part of it,
 * which is taken from their payouts (what is owed now, netted, is under Payouts). Nothing without such rides.
 */
function CashCollected({ items }: { items: Item[] }) {
  const cash = items.filter((i) => (i.earnings.cashCollected?.amountMinor ?? 0) > 0);
  const currency = cash[0]?.earnings.cashCollected?.currency;
  if (!currency) return null;
  const same = cash.filter((i) => i.earnings.cashCollected?.currency === currency);
  const collected = same.reduce((sum, i) => sum + (i.earnings.cashCollected?.amountMinor ?? 0), 0);
  const platformPart = collected - same.reduce((sum, i) => sum + (i.earnings.earnings.amountMinor ?? 0), 0);
  return (
    <p className="mt-2 text-sm" data-testid="cash-collected">
      Cash collected: <strong>{money({ amountMinor: collected, currency })}</strong> from {same.length} {same.length === 1 ? "ride" : "rides"} · you owe{" "}
      <strong data-testid="cash-owed">{money({ amountMinor: platformPart, currency })}</strong> of it (taken from your payouts)
    </p>
  );
}

/** What the driver earned today and over the last 7 days (days as the phone counts them), read again when <paramref name="version"/> changes. */
export function Earnings({ session, version, location }: { session: Session; version: number; location?: LatLng }) {
  const [summary, setSummary] = useState<EarningsSummary | null>(null);
  const [failed, setFailed] = useState(false);
  const [today, setToday] = useState(() => startOfDay(new Date()));
  useEffect(() => {
    const start = startOfDay(new Date());
    const weekStart = new Date(start);
    weekStart.setDate(start.getDate() - 6);
    const tomorrow = new Date(start);
    tomorrow.setDate(start.getDate() + 1);
    setToday(start);
    api.earnings(session, weekStart, tomorrow).then(
      (read) => {
        setSummary(read);
        setFailed(false);
      },
      () => setFailed(true),
    );
  }, [session, version]);

  const items = summary?.items ?? [];
  const todays = items.filter((i) => new Date(i.earnings.earnedAt) >= today);
  const bonuses = summary?.questBonuses ?? [];
  const todaysBonuses = bonuses.filter((b) => new Date(b.earnedAt) >= today);
  const percent = items.find((i) => i.earnings.serviceFeePercent !== undefined)?.earnings.serviceFeePercent;
  return (
    <Card title="Earnings">
      {failed && !summary ? (
        <p className="text-sm text-slate-600">Earnings could not be read just now.</p>
      ) : (
        <dl className="grid grid-cols-2 gap-2 text-sm">
          <div data-testid="earnings-today">
            <dt className="text-slate-600">Today</dt>
            <dd>
              <strong className="text-lg">{totals(todays, todaysBonuses)}</strong> · {counts(todays, todaysBonuses)}
            </dd>
          </div>
          <div data-testid="earnings-week">
            <dt className="text-slate-600">Last 7 days</dt>
            <dd>
              <strong className="text-lg">{totals(items, bonuses)}</strong> · {counts(items, bonuses)}
            </dd>
          </div>
        </dl>
      )}
      <CashCollected items={items} />
      {summary && <ByDay items={items} bonuses={bonuses} today={today} />}
      {bonuses.length > 0 && (
        <ul className="mt-2 text-xs" aria-label="Quest bonuses">
          {bonuses.map((b) => (
            <li key={b.questId} data-testid="quest-bonus-line">
              Quest bonus: {b.name} · <strong>{money(b.bonus)}</strong> · {new Date(b.earnedAt).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" })}
            </li>
          ))}
        </ul>
      )}
      <Quests session={session} version={version} location={location} />
      <p className="mt-2 text-xs text-slate-600">
        You earn the fare less the booking fee, any place fee (an airport&apos;s, passed on to it) and a {percent ?? 25} % service fee, all of any tip and of a lost item&apos;s return fee, and late
        cancellations&apos; fees less the same share, whether or not the rider has paid yet (a tip or return fee after the ride: once paid). Each Monday morning last week&apos;s statement is mailed to you.
      </p>
      <div className="mt-2">
        <MailButton label="Email me this week's statement" send={() => api.mailStatement(session)} testId="mail-statement" />
      </div>
      <EarningsCsv session={session} />
    </Card>
  );
}

/**
 * The last 7 days one row each, newest first, each day's total against the best day's (days as the phone counts them).
 * Amounts in different currencies cannot be added: the bars measure the currency most trips were paid in, and each
 * day's text lists every currency.
 */
function ByDay({ items, bonuses, today }: { items: Item[]; bonuses: QuestBonus[]; today: Date }) {
  const currencyOf = (i: Item) => i.earnings.earnings.currency ?? "USD";
  const tripsByCurrency = new Map<string, number>();
  for (const i of items) tripsByCurrency.set(currencyOf(i), (tripsByCurrency.get(currencyOf(i)) ?? 0) + 1);
  const measured = [...tripsByCurrency].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "USD";
  const days = Array.from({ length: 7 }, (_, back) => {
    const start = new Date(today);
    start.setDate(today.getDate() - back);
    const end = new Date(start);
    end.setDate(start.getDate() + 1);
    const earned = items.filter((i) => {
      const at = new Date(i.earnings.earnedAt);
      return at >= start && at < end;
    });
    // A quest's bonus counts on the day the ride that reached its target was completed.
    const bonused = bonuses.filter((b) => {
      const at = new Date(b.earnedAt);
      return at >= start && at < end;
    });
    const minor =
      earned.filter((i) => currencyOf(i) === measured).reduce((sum, i) => sum + (i.earnings.earnings.amountMinor ?? 0), 0) +
      bonused.filter((b) => b.bonus.currency === measured).reduce((sum, b) => sum + (b.bonus.amountMinor ?? 0), 0);
    return { start, earned, bonused, minor };
  });
  const best = Math.max(1, ...days.map((d) => d.minor));
  return (
    <table className="mt-3 w-full text-left text-xs" aria-label="Earnings by day" data-testid="earnings-by-day">
      {tripsByCurrency.size > 1 && <caption className="caption-bottom pt-1 text-slate-500" data-testid="earnings-bars-currency">Bars: {measured} only</caption>}
      <tbody>
        {days.map((d) => (
          <tr key={d.start.toISOString()}>
            <td className="w-24 py-0.5">{d.start.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" })}</td>
            <td className="py-0.5">
              <span className="block h-2 rounded bg-green-600" style={{ width: `${Math.round((100 * d.minor) / best)}%` }} aria-hidden />
            </td>
            <td className="w-24 py-0.5 text-right">{d.earned.length + d.bonused.length > 0 ? totals(d.earned, d.bonused) : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function startOfDay(at: Date): Date {
  return new Date(at.getFullYear(), at.getMonth(), at.getDate());
}

/** The earnings of <paramref name="items"/> and quest bonuses, one amount per currency ("$0.00" when none). */
function totals(items: Item[], bonuses: QuestBonus[] = []): string {
  const byCurrency = new Map<string, number>();
  for (const i of items) {
    const currency = i.earnings.earnings.currency ?? "USD";
    byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + (i.earnings.earnings.amountMinor ?? 0));
  }
  for (const b of bonuses) byCurrency.set(b.bonus.currency, (byCurrency.get(b.bonus.currency) ?? 0) + (b.bonus.amountMinor ?? 0));
  if (byCurrency.size === 0) return money({ amountMinor: 0, currency: "USD" });
  return [...byCurrency].map(([currency, amountMinor]): string => money({ amountMinor, currency } as Money)).join(" + ");
}

function counts(items: Item[], bonuses: QuestBonus[] = []): string {
  const trips = items.filter((i) => i.earnings.kind === "fare").length;
  const fees = items.length - trips;
  const parts = [`${trips} ${trips === 1 ? "trip" : "trips"}`];
  if (fees > 0) parts.push(`${fees} cancellation ${fees === 1 ? "fee" : "fees"}`);
  if (bonuses.length > 0) parts.push(`${bonuses.length} quest ${bonuses.length === 1 ? "bonus" : "bonuses"}`);
  return parts.join(", ");
}
