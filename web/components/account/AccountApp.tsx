"use client";

import Link from "next/link";
import { api } from "@/lib/api";
import { useLoad } from "@/lib/useLoad";
import { homeOf, useRequiredSession } from "@/lib/useSession";
import { AppHeader } from "../AppHeader";
import { Card, Notice } from "../ui";
import { BusinessProfile } from "./BusinessProfile";
import { ChangePassword } from "./ChangePassword";
import { ConfirmEmail } from "./ConfirmEmail";
import { DeleteAccount } from "./DeleteAccount";
import { DownloadData } from "./DownloadData";
import { InviteFriends } from "./InviteFriends";
import { MailPreferences } from "./MailPreferences";
import { PaymentMethods } from "./PaymentMethods";
import { PinVerification } from "./PinVerification";
import { RidePreferencesSetting } from "./RidePreferencesSetting";
import { SignedInSessions } from "./SignedInSessions";
import { TwoStepVerification } from "./TwoStepVerification";
import { Promotions } from "./Promotions";
import { YourName } from "./YourName";

/**
 * One's own account, as the gateway has it: who they are, confirming their email, their name and password; a rider's
 * saved cards, business profile (ADR 0034), promotions and invite code for friends; where they are signed in (ADR 0048);
 * a rider's or driver's mail, data, and deleting it.
 */
export function AccountApp() {
  const [session, signOut] = useRequiredSession("rider", "driver", "operator");
  const { data: me, setData: setMe, error } = useLoad(session ? () => api.me(session) : null, [session], "Could not load your account.");

  if (!session) return null;
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-4 p-4">
      <AppHeader title="Account" name={me?.name ?? session.name} onSignOut={signOut} />
      <div>
        <Link href={homeOf(session.role)} className="text-sm text-blue-700 underline" data-testid="account-back">
          ← Back
        </Link>
      </div>
      {error && (
        <Notice kind="error" testId="account-error">
          {error}
        </Notice>
      )}
      {!me ? (
        !error && <p className="text-sm text-slate-600">Loading…</p>
      ) : (
        <>
          <Card title="Your account" testId="account-details">
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-slate-600">Email</dt>
              <dd className="break-all" data-testid="account-email">{me.email}</dd>
              <dt className="text-slate-600">Role</dt>
              <dd data-testid="account-role">{me.role}</dd>
              {me.vehicle && (
                <>
                  <dt className="text-slate-600">Vehicle</dt>
                  <dd>
                    {me.vehicle.make} {me.vehicle.model}, {me.vehicle.colour} · <span className="font-mono">{me.vehicle.plate}</span> · {me.vehicle.class}
                  </dd>
                </>
              )}
              <dt className="text-slate-600">Member since</dt>
              <dd>{new Date(me.createdAt).toLocaleDateString()}</dd>
              <dt className="text-slate-600">Times in mails</dt>
              <dd data-testid="account-time-zone">{me.timeZone ?? "UTC"}</dd>
            </dl>
          </Card>
          <ConfirmEmail session={session} me={me} onConfirmed={setMe} />
          {session.role === "rider" && (
            <>
              <PaymentMethods session={session} />
              <BusinessProfile session={session} me={me} onChanged={setMe} />
              <PinVerification session={session} />
              <RidePreferencesSetting session={session} />
              <Promotions session={session} />
              <InviteFriends session={session} />
            </>
          )}
          {/* A support account gets only what is always mailed (codes, notices about the account): nothing to choose. */}
          {session.role !== "operator" && <MailPreferences session={session} me={me} />}
          <YourName session={session} me={me} onSaved={setMe} />
          <ChangePassword session={session} />
          <TwoStepVerification session={session} onSignedOut={signOut} />
          <SignedInSessions session={session} onSignedOut={signOut} />
          {/* A support account has no rider's or driver's data, and is suspended by a colleague rather than deleted. */}
          {session.role !== "operator" && (
            <>
              <DownloadData session={session} />
              <DeleteAccount session={session} />
            </>
          )}
        </>
      )}
    </main>
  );
}
