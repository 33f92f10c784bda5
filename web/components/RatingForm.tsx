"use client";

import { useState } from "react";
import { Button, inputClass } from "./ui";

/** Stars (and a comment) for the other person of a trip; one star also means they are never matched again (said when chosen). */
export function RatingForm({ label, whom, onRate }: { label: string; whom: "driver" | "rider"; onRate: (stars: number, comment: string) => void }) {
  const [stars, setStars] = useState(5);
  const [comment, setComment] = useState("");
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="text-sm font-medium">{label}</legend>
      <div className="flex gap-1" role="radiogroup" aria-label="Stars">
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            role="radio"
            aria-checked={stars === n}
            aria-label={`${n} star${n > 1 ? "s" : ""}`}
            onClick={() => setStars(n)}
            className={`text-2xl focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500 ${n <= stars ? "text-amber-500" : "text-slate-300"}`}
          >
            ★
          </button>
        ))}
      </div>
      {stars === 1 && (
        <p className="text-sm text-slate-700" role="status">
          You won&apos;t be matched with this {whom} again.
        </p>
      )}
      <input className={inputClass} aria-label="Comment" maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="Comment (optional)" />
      <Button onClick={() => onRate(stars, comment)}>Submit rating</Button>
    </fieldset>
  );
}
