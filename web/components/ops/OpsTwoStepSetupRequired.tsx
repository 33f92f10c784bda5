"use client";

import Link from "next/link";
import { Button, Card } from "../ui";

/**
 * What the desk shows a support account that must use 2-step verification and has not set it up (ADR 0052,
 * `TwoStep:RequiredForSupport`): the gateway refuses every desk route (403 `two-step-setup-required`) until it is on
 * and the operator signs in again with the app's code.
 */
export function OpsTwoStepSetupRequired({ onSignOut }: { onSignOut: () => void }) {
  return (
    <main className="mx-auto flex max-w-md flex-col gap-4 p-6">
      <Card title="Set up 2-step verification to use the support desk" testId="ops-two-step-setup-required">
        <p className="mb-3 text-sm text-slate-700">
          Support accounts see riders&apos; and drivers&apos; trips, payments and addresses, so they must use 2-step verification: a code from an
          authenticator app after the password.
        </p>
        <ol className="mb-3 list-decimal pl-5 text-sm text-slate-700">
          <li>Turn it on in your account settings (your password, then the app&apos;s code).</li>
          <li>Sign out, and sign in again with your password and the app&apos;s code.</li>
        </ol>
        <div className="flex flex-wrap items-center gap-3">
          <Link href="/account" className="text-sm font-medium text-blue-700 underline" data-testid="ops-two-step-setup-link">
            Set up 2-step verification
          </Link>
          <Button variant="secondary" onClick={onSignOut} data-testid="ops-two-step-sign-out">
            Sign out
          </Button>
        </div>
      </Card>
    </main>
  );
}
