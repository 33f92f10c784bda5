"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { api, failureText } from "@/lib/api";
import { homeOf, signOutEverywhere, useOperatorSession, useRealtime } from "@/lib/useSession";
import type { OpsUser } from "@/lib/types";
import { AppHeader } from "../AppHeader";
import { Button, Card, Field, Notice, inputClass } from "../ui";
import { OpsAddColleague } from "./OpsAddColleague";
import { OpsAwaitingWaivers } from "./OpsAwaitingWaivers";
import { OpsDriverApprovals } from "./OpsDriverApprovals";
import { OpsHelpQueue } from "./OpsHelpQueue";
import { OpsNow } from "./OpsNow";
import { OpsPromotions } from "./OpsPromotions";
import { OpsQuests } from "./OpsQuests";
import { OpsTripDetail } from "./OpsTripDetail";
import { OpsTwoStepSetupRequired } from "./OpsTwoStepSetupRequired";
import { OpsUserCard } from "./OpsUserCard";
import { opsTripUrl, opsUserUrl, searchTarget } from "./search";

/**
 * The support desk's console: a rider or driver calls about a trip; the operator finds them (email, user id) or the
 * trip (its id), sees everything about it, and refunds or cancels it. What is open is in the URL (?trip= or ?user=),
 * so a reload, Back, or a link sent to a colleague opens the same view.
 */
export function OpsConsole() {
  const operator = useOperatorSession();
  // A support account made to use 2-step verification that has not set it up (ADR 0052): its token reaches no desk route.
  if (operator.session?.twoStepSetupRequired) return <OpsTwoStepSetupRequired onSignOut={operator.signOut} />;
  return <OpsDesk operator={operator} />;
}

function OpsDesk({ operator }: { operator: ReturnType<typeof useOperatorSession> }) {
  const { session, wrongRole, signOut } = operator;
  const router = useRouter();
  const params = useSearchParams();
  const tripId = params.get("trip");
  const userId = tripId ? null : params.get("user");
  const [query, setQuery] = useState(tripId ?? userId ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Changes on "Refresh" (and on a search for what is already open): everything shown is read again. */
  const [version, setVersion] = useState(0);
  /**
   * Changes when a help request changed (help.updated on the desk's socket: asked, written to, answered or closed, by
   * anyone) and on a (re)connect: the queue and the open trip's requests are read again, nothing else.
   */
  const [helpVersion, setHelpVersion] = useState(0);
  /** Changes when a driver sent documents or support decided on some (driver.approval) and on a (re)connect: the queue of drivers to approve is read again. */
  const [approvalsVersion, setApprovalsVersion] = useState(0);
  /** Changes when a waiver awaiting a colleague's approval was asked for or no longer awaits (support.waivers_changed) and on a (re)connect. */
  const [waiversVersion, setWaiversVersion] = useState(0);
  const realtime = useRealtime(session, (message) => {
    if (message.type === "help.updated" || message.type === "snapshot") setHelpVersion((v) => v + 1);
    if (message.type === "support.waivers_changed" || message.type === "snapshot") setWaiversVersion((v) => v + 1);
    if (message.type === "driver.approval" || message.type === "snapshot") setApprovalsVersion((v) => v + 1);
  });
  /** The account an email search found: shown at once while it is read again by its id. */
  const [found, setFound] = useState<OpsUser | null>(null);

  // Back, Forward, or a link followed: the search box shows what is open.
  useEffect(() => {
    if (tripId ?? userId) setQuery(tripId ?? userId ?? "");
  }, [tripId, userId]);

  /** Opens a view: the URL changes (and a view already open is read again). */
  const open = (url: string) => {
    setError(null);
    if (url === opsTripUrl(tripId ?? "") || url === opsUserUrl(userId ?? "")) setVersion((v) => v + 1);
    else router.push(url);
  };

  async function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!session) return;
    const target = searchTarget(query);
    if (!target) {
      setError("Type a trip id (t…), an email, or a user id (r… for a rider, d… for a driver).");
      return;
    }
    if (target.kind === "trip") return open(opsTripUrl(target.tripId));
    if (target.kind === "user") return open(opsUserUrl(target.userId));
    setBusy(true);
    setError(null);
    try {
      const user = await api.opsUserByEmail(session, target.email);
      if (!user) setError(`No account has the email ${target.email}.`);
      else {
        setFound(user);
        open(opsUserUrl(user.userId));
      }
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  if (wrongRole) {
    return (
      <main className="mx-auto flex max-w-md flex-col gap-4 p-6">
        <Card title="Support desk">
          <p className="mb-3">This page is for the support desk.</p>
          <Link href={homeOf(wrongRole)} className="text-sm font-medium text-blue-700 underline">
            Back to your app
          </Link>
        </Card>
      </main>
    );
  }
  if (!session) return null;
  return (
    <main className="mx-auto flex max-w-4xl flex-col gap-4 p-4">
      <AppHeader title="Support desk" status={realtime.status} name={session.name} onSignOut={signOut} onSignOutEverywhere={() => signOutEverywhere(session, signOut)} />
      <Card>
        <form onSubmit={search} className="flex flex-wrap items-end gap-2" role="search">
          <div className="min-w-64 flex-1">
            <Field label="Trip id, email or user id">
              <input
                className={inputClass}
                value={query}
                onChange={(e) => setQuery(e.target.value)}
                placeholder="t…, name@example.com, r…, d…"
                required
                maxLength={200}
                autoComplete="off"
                spellCheck={false}
                data-testid="ops-search"
              />
            </Field>
          </div>
          <Button type="submit" disabled={busy} data-testid="ops-search-submit">
            Search
          </Button>
          <Button type="button" variant="secondary" onClick={() => setVersion((v) => v + 1)} data-testid="ops-refresh">
            Refresh
          </Button>
        </form>
      </Card>
      {error && <Notice kind="error">{error}</Notice>}
      {tripId ? (
        <OpsTripDetail key={tripId} session={session} tripId={tripId} version={version} helpVersion={helpVersion} onOpenUser={(id) => open(opsUserUrl(id))} />
      ) : userId ? (
        <OpsUserCard
          key={userId}
          session={session}
          userId={userId}
          known={found?.userId === userId ? found : null}
          version={version}
          onOpenTrip={(id) => open(opsTripUrl(id))}
        />
      ) : (
        <>
          <p className="text-sm text-slate-600">Find the caller by their email or user id, or the trip by its id.</p>
          <OpsHelpQueue session={session} version={version} helpVersion={helpVersion} onOpenTrip={(id) => open(opsTripUrl(id))} />
          <OpsAwaitingWaivers session={session} version={version} waiversVersion={waiversVersion} onOpenTrip={(id) => open(opsTripUrl(id))} />
          <OpsDriverApprovals session={session} version={version + approvalsVersion} onOpenUser={(id) => open(opsUserUrl(id))} />
          <OpsNow session={session} version={version} onOpenTrip={(id) => open(opsTripUrl(id))} />
          <OpsPromotions session={session} version={version} />
          <OpsQuests session={session} version={version} />
          <OpsAddColleague session={session} />
        </>
      )}
    </main>
  );
}
