"use client";

import { useState } from "react";
import type { PickupDetails } from "@/lib/types";
import { Button, Field, inputClass } from "../ui";

/** The trips service's bounds (ADR 0031): a note of at most 200 characters, a passenger's name of 1 to 40. */
export const maxNoteLength = 200;
export const maxNameLength = 40;

/** "+" and 7–15 digits once the spaces and dashes people type are dropped (the service stores it so). */
export const isPhone = (text: string) => /^\+\d{7,15}$/.test(text.replace(/[\s-]/g, ""));

/** What the rider typed for the pickup: a note, and whether someone else rides (their name and phone). */
export type PickupDraft = { note: string; someoneElse: boolean; name: string; phone: string };

export const emptyPickup: PickupDraft = { note: "", someoneElse: false, name: "", phone: "" };

/** The booking's pickup details, or null while "Someone else" lacks a name or has a phone that cannot be. */
export function pickupDetails(draft: PickupDraft): PickupDetails | null {
  const note = draft.note.trim();
  const name = draft.name.trim();
  const phone = draft.phone.trim();
  if (draft.someoneElse && (name === "" || (phone !== "" && !isPhone(phone)))) return null;
  return {
    ...(note ? { pickupNote: note } : {}),
    ...(draft.someoneElse ? { passenger: { name, ...(phone ? { phone } : {}) } } : {}),
  };
}

/**
 * "Who's riding? Me / Someone else" (their first name, a phone the driver may call) and "Add a note for the driver",
 * in the booking panel beside "Pay with": the driver's offer shows both.
 */
export function PickupFor({ draft, onChange }: { draft: PickupDraft; onChange: (draft: PickupDraft) => void }) {
  const [noteOpen, setNoteOpen] = useState(draft.note !== "");
  const set = (changes: Partial<PickupDraft>) => onChange({ ...draft, ...changes });
  const phoneInvalid = draft.phone.trim() !== "" && !isPhone(draft.phone);
  return (
    <div className="mt-3 flex flex-col gap-2 text-sm text-slate-700">
      <fieldset className="flex flex-wrap items-center gap-3" data-testid="whos-riding">
        <legend className="sr-only">Who&apos;s riding?</legend>
        <span aria-hidden>Who&apos;s riding?</span>
        <label className="flex items-center gap-1">
          <input type="radio" name="riding" checked={!draft.someoneElse} onChange={() => set({ someoneElse: false })} /> Me
        </label>
        <label className="flex items-center gap-1">
          <input type="radio" name="riding" checked={draft.someoneElse} onChange={() => set({ someoneElse: true })} data-testid="riding-someone-else" />{" "}
          Someone else
        </label>
      </fieldset>
      {draft.someoneElse && (
        <div className="flex flex-wrap gap-2">
          <Field label="Their first name">
            <input
              className={inputClass}
              value={draft.name}
              maxLength={maxNameLength}
              onChange={(e) => set({ name: e.target.value })}
              aria-invalid={draft.name.trim() === ""}
              data-testid="passenger-name"
            />
          </Field>
          <Field label="Their phone (optional)">
            <input
              className={inputClass}
              type="tel"
              value={draft.phone}
              placeholder="+39 06 1234 5678"
              onChange={(e) => set({ phone: e.target.value })}
              aria-invalid={phoneInvalid}
              data-testid="passenger-phone"
            />
            {phoneInvalid && <span className="text-xs text-red-700">A phone is + and the country code, e.g. +39 06 1234 5678</span>}
          </Field>
        </div>
      )}
      {noteOpen ? (
        <Field label="Note for the driver">
          <input
            className={inputClass}
            value={draft.note}
            maxLength={maxNoteLength}
            placeholder="Gate 3, blue jacket"
            onChange={(e) => set({ note: e.target.value })}
            data-testid="pickup-note"
          />
        </Field>
      ) : (
        <Button variant="secondary" className="self-start" onClick={() => setNoteOpen(true)}>
          Add a note for the driver
        </Button>
      )}
    </div>
  );
}
