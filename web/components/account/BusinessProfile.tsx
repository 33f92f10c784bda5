"use client";

import { useState, type FormEvent } from "react";
import { api, ApiError, failureText } from "@/lib/api";
import { saveFile } from "@/lib/saveFile";
import type { BusinessProfileCodeSent, Me, Session } from "@/lib/types";
import { Button, Card, CodeInput, Field, Notice, inputClass } from "../ui";

/** "2026-12": this month on the phone's calendar. */
function thisMonth(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
}

/**
 * A rider's business profile (ADR 0034): a work email that gets a copy of each business ride's receipt once the code
 * mailed to it is typed here; removing it stops the copies. With it, a month's business rides download as a CSV for an
 * expense report (like a driver's "Download CSV" of earnings).
 */
export function BusinessProfile({ session, me, onChanged }: { session: Session; me: Me; onChanged: (me: Me) => void }) {
  const profile = me.businessProfile ?? null;
  const [workEmail, setWorkEmail] = useState("");
  const [code, setCode] = useState("");
  // The gateway's answer to "Mail a code": the code field shows while the profile waits for it.
  const [sent, setSent] = useState<BusinessProfileCodeSent | null>(null);
  const [editing, setEditing] = useState(false);
  const [month, setMonth] = useState(thisMonth);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) setCode("");
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  const mailCode = (address: string) =>
    run(async () => {
      const answer = await api.setBusinessProfile(session, address.trim());
      setSent(answer);
      setCode("");
      setEditing(false);
      onChanged({ ...me, businessProfile: answer.businessProfile });
    });

  const confirm = () =>
    run(async () => {
      onChanged(await api.confirmBusinessProfile(session, code));
      setSent(null);
      setCode("");
    });

  const remove = () =>
    run(async () => {
      onChanged(await api.removeBusinessProfile(session));
      setSent(null);
      setWorkEmail("");
    });

  const download = () => run(async () => saveFile(`uberclone-business-rides-${month}.csv`, await api.businessReportCsv(session, month), "text/csv"));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void mailCode(workEmail);
  }

  return (
    <Card title="Business profile" testId="business-profile">
      <div className="flex flex-col gap-3 text-sm">
        <p className="text-slate-700">
          Rides you mark &ldquo;Business&rdquo; when booking have their receipt copied to your work email, with your expense memo, and you can download a
          month of them for an expense report.
        </p>
        {profile && !editing && (
          <p data-testid="business-profile-status">
            Work email <span className="break-all font-medium">{profile.workEmail}</span>{" "}
            {profile.confirmed ? (
              <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs text-emerald-800">confirmed</span>
            ) : (
              <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">not confirmed yet</span>
            )}
          </p>
        )}
        {profile && !profile.confirmed && !editing && (
          <form
            className="flex flex-col gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              void confirm();
            }}
          >
            {sent && (
              <Notice kind={sent.mailed ? "success" : "info"} testId="business-profile-sent">
                {sent.message}
              </Notice>
            )}
            <Field label="Code from the work email">
              <CodeInput value={code} onChange={setCode} testId="business-profile-code" />
            </Field>
            <div className="flex flex-wrap gap-2">
              <Button type="submit" disabled={busy || code.length !== 6} data-testid="business-profile-confirm">
                Confirm work email
              </Button>
              <Button type="button" variant="secondary" disabled={busy} onClick={() => void mailCode(profile.workEmail)} data-testid="business-profile-resend">
                Mail a new code
              </Button>
            </div>
          </form>
        )}
        {(!profile || editing) && (
          <form className="flex flex-col gap-2" onSubmit={submit} data-testid="business-profile-form">
            <Field label="Work email">
              <input
                type="email"
                className={inputClass}
                value={workEmail}
                onChange={(e) => setWorkEmail(e.target.value)}
                required
                maxLength={254}
                autoComplete="off"
                placeholder="you@company.com"
                data-testid="business-profile-email"
              />
            </Field>
            <div className="flex flex-wrap gap-2">
              <Button type="submit" disabled={busy || !workEmail.trim()} data-testid="business-profile-add">
                Mail a code to the work email
              </Button>
              {editing && (
                <Button type="button" variant="secondary" disabled={busy} onClick={() => setEditing(false)}>
                  Cancel
                </Button>
              )}
            </div>
          </form>
        )}
        {profile && !editing && (
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" disabled={busy} onClick={() => setEditing(true)} data-testid="business-profile-change">
              Use another work email
            </Button>
            <Button variant="secondary" disabled={busy} onClick={() => void remove()} data-testid="business-profile-remove">
              Remove business profile
            </Button>
          </div>
        )}
        <div className="flex flex-wrap items-center gap-2 border-t border-slate-200 pt-3">
          <label className="flex items-center gap-2">
            Month
            <input
              type="month"
              className="rounded-md border border-slate-300 px-2 py-1"
              value={month}
              max={thisMonth()}
              onChange={(e) => setMonth(e.target.value)}
              data-testid="business-report-month"
            />
          </label>
          <Button variant="secondary" disabled={busy || !month} onClick={() => void download()} data-testid="business-report-csv">
            Download business rides (CSV)
          </Button>
        </div>
        {error && (
          <Notice kind="error" testId="business-profile-error">
            {error}
          </Notice>
        )}
      </div>
    </Card>
  );
}
