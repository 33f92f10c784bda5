import { ResetPassword } from "@/components/account/ResetPassword";

/** "Forgot your password?": a code mailed to the account's email, then a new password, which signs in. */
export default function ResetPasswordPage() {
  return (
    <main className="mx-auto flex max-w-md flex-col gap-6 p-6">
      <header>
        <h1 className="text-3xl font-bold">UberClone</h1>
        <p className="text-slate-600">Forgot your password? Set a new one with a code we mail you.</p>
      </header>
      <ResetPassword />
    </main>
  );
}
