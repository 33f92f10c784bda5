import { AccountApp } from "@/components/account/AccountApp";

/** A rider's or driver's own account: their name, their password, and deleting the account. */
export default function AccountPage() {
  return <AccountApp />;
}
