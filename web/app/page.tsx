import { AuthForm } from "@/components/AuthForm";

export default function Home() {
  return (
    <main className="mx-auto flex max-w-md flex-col gap-6 p-6">
      <header>
        <h1 className="text-3xl font-bold">UberClone</h1>
        <p className="text-slate-600">Ride or drive. Sign in to continue.</p>
      </header>
      <AuthForm />
    </main>
  );
}
