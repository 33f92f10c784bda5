"use client";

import type { PickupDetails, RideProfile } from "@/lib/types";
import { Field, inputClass } from "../ui";

/** The trips service's bound (ADR 0034): an expense memo of at most 100 characters. */
export const maxMemoLength = 100;

/** What the rider chose: personal or business, and a business ride's memo as typed. */
export type ProfileDraft = { profile: RideProfile; memo: string };

export const personalRide: ProfileDraft = { profile: "personal", memo: "" };

/** What booking sends for the choice: nothing for a personal ride (the default), the profile and a memo (when typed) for business. */
export function profileDetails(draft: ProfileDraft): PickupDetails {
  const memo = draft.memo.trim();
  return draft.profile === "business" ? { profile: "business", ...(memo ? { expenseMemo: memo } : {}) } : {};
}

/**
 * "Personal / Business" in the booking panel, shown only to a rider with a confirmed work email (ADR 0034): a business
 * ride's receipt is copied there with the "Expense memo", and the ride is in the month's expense report.
 */
export function RideProfileChoice({ draft, onChange }: { draft: ProfileDraft; onChange: (draft: ProfileDraft) => void }) {
  return (
    <div className="mt-3 flex flex-col gap-2 text-sm text-slate-700">
      <fieldset className="flex flex-wrap items-center gap-3" data-testid="ride-profile">
        <legend className="sr-only">Profile</legend>
        <span aria-hidden>Profile</span>
        <label className="flex items-center gap-1">
          <input type="radio" name="ride-profile" checked={draft.profile === "personal"} onChange={() => onChange({ ...draft, profile: "personal" })} /> Personal
        </label>
        <label className="flex items-center gap-1">
          <input
            type="radio"
            name="ride-profile"
            checked={draft.profile === "business"}
            onChange={() => onChange({ ...draft, profile: "business" })}
            data-testid="ride-profile-business"
          />{" "}
          Business
        </label>
      </fieldset>
      {draft.profile === "business" && (
        <Field label="Expense memo (optional)">
          <input
            className={inputClass}
            value={draft.memo}
            maxLength={maxMemoLength}
            placeholder="Client visit ACME"
            onChange={(e) => onChange({ ...draft, memo: e.target.value })}
            data-testid="expense-memo"
          />
        </Field>
      )}
    </div>
  );
}
