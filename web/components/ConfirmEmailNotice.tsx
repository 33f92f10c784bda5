"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { api } from "@/lib/api";
import type { Session } from "@/lib/types";
import { Notice } from "./ui";

/**
 * One line on the rider's and driver's home while their email is not confirmed (receipts and ride notices are mailed
 * only to a confirmed address), linking to the account page where the mailed code confirms it. Read once; a failed
 * read shows nothing (the app's own reads say when the gateway cannot be reached).
 */
export function ConfirmEmailNotice({ session }: { session: Session }) {
  const [unconfirmed, setUnconfirmed] = useState(false);
  useEffect(() => {
    let current = true;
    api.me(session).then(
      (me) => current && setUnconfirmed(me.emailVerified === false),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [session]);

  if (!unconfirmed) return null;
  return (
    <Notice testId="confirm-email-notice">
      Confirm your email to get receipts by mail.{" "}
      <Link href="/account" className="font-medium underline" data-testid="confirm-email-link">
        Confirm email
      </Link>
    </Notice>
  );
}
