import { useMemo, useRef } from "react";

/** 32 hex digits: randomUUID without its dashes where there is one (it is missing outside secure contexts). */
const newClientMessageId = () =>
  typeof crypto.randomUUID === "function"
    ? crypto.randomUUID().replaceAll("-", "")
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * The clientMessageId of one message box: the same while the same text is sent again after a send that failed (it may
 * have been stored: the retry is stored once), a new one once a send went through or for another text.
 */
export function useClientMessageId() {
  const pending = useRef<{ text: string; id: string } | null>(null);
  return useMemo(
    () => ({
      /** The id to send the text with. */
      idFor: (text: string) => {
        if (pending.current?.text !== text) pending.current = { text, id: newClientMessageId() };
        return pending.current.id;
      },
      /** The send went through: the next message gets a new id. */
      sent: () => {
        pending.current = null;
      },
    }),
    [],
  );
}
