import { Unsubscribe } from "@/components/account/Unsubscribe";

/** A mail's "To stop these mails" link: says what it would turn off and asks first; no sign-in. */
export default function UnsubscribePage() {
  return (
    <main className="mx-auto flex max-w-md flex-col gap-6 p-6">
      <header>
        <h1 className="text-3xl font-bold">UberClone</h1>
        <p className="text-slate-600">Choose which mail you get.</p>
      </header>
      <Unsubscribe />
    </main>
  );
}
