import type { ButtonHTMLAttributes, ReactNode } from "react";
import { vehicleClasses, type VehicleClass } from "@/lib/types";

export function Button({ variant = "primary", className = "", ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "secondary" | "danger" }) {
  const styles = {
    primary: "bg-slate-900 text-white hover:bg-slate-700",
    secondary: "bg-white text-slate-900 border border-slate-300 hover:bg-slate-100",
    danger: "bg-red-600 text-white hover:bg-red-500",
  }[variant];
  return (
    <button
      {...props}
      className={`rounded-md px-4 py-2 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500 disabled:opacity-50 ${styles} ${className}`}
    />
  );
}

export function Card({ title, testId, children }: { title?: string; testId?: string; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-label={title} data-testid={testId}>
      {title && <h2 className="mb-2 text-lg font-semibold">{title}</h2>}
      {children}
    </section>
  );
}

export function Notice({ kind = "info", testId, children }: { kind?: "info" | "error" | "success"; testId?: string; children: ReactNode }) {
  const styles = { info: "bg-blue-50 text-blue-900", error: "bg-red-50 text-red-900", success: "bg-green-50 text-green-900" }[kind];
  return (
    <p role={kind === "error" ? "alert" : "status"} className={`rounded-md p-3 text-sm ${styles}`} data-testid={testId}>
      {children}
    </p>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="font-medium">{label}</span>
      {children}
    </label>
  );
}

export const inputClass = "rounded-md border border-slate-300 px-3 py-2 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500";

/** The six digits of a mailed code: digits only, and the phone offers the code from the mail (one-time-code). */
export function CodeInput({ value, onChange, testId, autoFocus }: { value: string; onChange: (code: string) => void; testId: string; autoFocus?: boolean }) {
  return (
    <input
      className={inputClass}
      value={value}
      onChange={(e) => onChange(e.target.value.replace(/\D/g, ""))}
      required
      inputMode="numeric"
      pattern="[0-9]{6}"
      maxLength={6}
      autoComplete="one-time-code"
      autoFocus={autoFocus}
      data-testid={testId}
    />
  );
}

/**
 * A password typed into a form: the one the account has ("current", asked again before a change) or a new one (8 to
 * 128 characters, as the gateway requires), so the phone's password manager fills or offers the right kind.
 */
export function PasswordInput({ value, onChange, testId, kind }: { value: string; onChange: (password: string) => void; testId: string; kind: "current" | "new" }) {
  return (
    <input
      type="password"
      className={inputClass}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      required
      minLength={kind === "new" ? 8 : undefined}
      maxLength={kind === "new" ? 128 : 200}
      autoComplete={kind === "new" ? "new-password" : "current-password"}
      data-testid={testId}
    />
  );
}

export function StatusBadge({ status, testId = "trip-status" }: { status: string; testId?: string }) {
  return <span className="rounded-full bg-slate-200 px-2 py-0.5 text-xs font-semibold uppercase tracking-wide" data-testid={testId}>{status.replaceAll("_", " ")}</span>;
}

/** The options of a vehicle class select: every class, or those given (a driver's approved ones). */
export function ClassOptions({ classes = vehicleClasses }: { classes?: readonly VehicleClass[] }) {
  return (
    <>
      {classes.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </>
  );
}
