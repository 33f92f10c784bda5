import type { HelpRequest, HelpStatus, HelpTopic } from "./types";

/** A topic as the one who asked reads it: conduct is the other party's. */
export function helpTopicLabel(topic: HelpTopic, askedBy: HelpRequest["openedByRole"]): string {
  switch (topic) {
    case "lost_item":
      return "I lost an item";
    case "fare":
      return "A charge or the fare";
    case "conduct":
      return askedBy === "driver" ? "The rider's conduct" : "The driver's conduct";
    case "safety":
      return "I felt unsafe";
    case "other":
      return "Something else";
  }
}

/** A request's status as its rider or driver is told it. */
export const helpStatusLabels: Record<HelpStatus, string> = { open: "Waiting for support", answered: "Support answered", closed: "Closed" };
