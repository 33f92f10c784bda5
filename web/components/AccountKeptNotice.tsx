"use client";

import { useEffect, useState } from "react";
import { Notice } from "./ui";

/**
 * Once, on the rider's or driver's home right after a sign-in that called off the deletion its owner had asked for
 * (the sign-in form sends them to `?restored=1`): the account stays as it was. The query is dropped at once, so a
 * reload does not say it again.
 */
export function AccountKeptNotice({ role }: { role: "rider" | "driver" }) {
  const [kept, setKept] = useState(false);
  useEffect(() => {
    const url = new URL(window.location.href);
    if (url.searchParams.get("restored") === null) return;
    setKept(true);
    url.searchParams.delete("restored");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }, []);

  if (!kept) return null;
  return (
    <Notice kind="success" testId="account-kept">
      Welcome back: your account will not be deleted.
      {role === "rider" ? " Any rides you had booked ahead were cancelled when you asked; book again below." : " Go online when you are ready."}
    </Notice>
  );
}
