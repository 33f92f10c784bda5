"use client";

import { useState } from "react";
import { money } from "@/lib/format";
import type { Money } from "@/lib/types";
import { Button } from "../ui";

/** Tip choices: 10, 15 or 20 % of the fare (at least one unit of the currency), or nothing. */
export function TipChooser({ fare, label, onTip }: { fare: Money; label: string; onTip: (amountMinor: number) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const choices = [10, 15, 20].map((percent) => ({ percent, amountMinor: Math.max(100, Math.round((fare.amountMinor * percent) / 100)) }));
  return (
    <div className="flex flex-col gap-1 text-sm" data-testid="tip-chooser">
      <span className="font-medium">{label}</span>
      <div className="flex gap-2">
        {choices.map((c) => (
          <Button
            key={c.percent}
            variant="secondary"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void onTip(c.amountMinor).finally(() => setBusy(false));
            }}
          >
            {money({ amountMinor: c.amountMinor, currency: fare.currency })}
          </Button>
        ))}
      </div>
    </div>
  );
}
