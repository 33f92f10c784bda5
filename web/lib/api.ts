import { freshSession, renewSession } from "./session";
import type { DriverPayouts, PayoutOnboarding } from "./payouts";
import type {
  AwaitingWaiver,
  AuditSubject,
  BusinessProfileCodeSent,
  CardSetup,
  DestinationQuote,
  DriverApproval,
  DriverAwaitingApproval,
  DriverDocuments,
  DriverProfile,
  DriverQuest,
  RatingSummary,
  DriverState,
  EarningsSummary,
  EmailCodeRequested,
  HelpQueueStatus,
  HelpRequest,
  HelpTopic,
  Invite,
  LatLng,
  OperatorAccount,
  MailLinkState,
  MailPreferences,
  Me,
  SignedInSession,
  TwoStepChallenge,
  TwoStepSetup,
  TwoStepStatus,
  Nearby,
  NewPromotion,
  NewQuest,
  NewRideSchedule,
  PinVerificationSetting,
  RidePreferences,
  OpsMail,
  OpsUser,
  PasswordResetRequested,
  PickupDetails,
  Promotion,
  Quest,
  Quote,
  RefundKind,
  RefundResult,
  RideCredit,
  RideProfile,
  ReservableRide,
  ReservableRideList,
  RiderProfile,
  RiderPromotion,
  RideSchedule,
  SavedPlace,
  Session,
  SharedTrip,
  SignUpRole,
  SplitInvitation,
  SupportAction,
  SurgeMap,
  TokenPair,
  Trip,
  TripMessage,
  TripPayment,
  TripPayments,
  Vehicle,
  VehicleClass,
  Wallet,
} from "./types";

/** An RFC 7807 problem from the gateway, with its human-readable detail. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    detail: string,
    /** A 400's messages by the field they are about (as the request names it). */
    readonly errors: Record<string, string[]> = {},
    /**
     * The problem's own fields beyond RFC 7807's (problem extensions), as the gateway sent them: e.g. a booking the bank
     * asks to confirm says where (authenticationUrl) and for which card (cardLabel).
     */
    readonly extensions: Record<string, unknown> = {},
    /** A 429's (or 503's) Retry-After, in seconds from when it arrived; null when the answer had none. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(detail);
  }

  /** A problem extension that is a string (as the gateway's are), or null. */
  extension(name: string): string | null {
    const value = this.extensions[name];
    return typeof value === "string" ? value : null;
  }

  /** What the gateway said about one field of the request (its name matched regardless of case); null when nothing. */
  fieldError(field: string): string | null {
    const key = Object.keys(this.errors).find((k) => k.toLowerCase() === field.toLowerCase());
    return key ? this.errors[key]!.join(" ") || null : null;
  }
}

/**
 * One request to the gateway, as the signed-in user when <paramref name="session"/> is given: with an access token that
 * is not about to expire (renewed first when it is), and renewed and sent once more if the gateway refuses it anyway
 * (401: expired by its clock, or signed with a key the stack no longer has after a restart).
 */
async function call<T>(
  method: string,
  path: string,
  session: Session | null,
  body?: unknown,
  headers?: Record<string, string>,
  signal?: AbortSignal,
): Promise<T> {
  const response = await send(method, path, session, body, headers, signal);
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : {};
  if (!response.ok) throw problemOf(response.status, json, retryAfter(response.headers.get("retry-after")));
  return json as T;
}

/** A file the gateway makes (CSV): its text, or the problem as an ApiError. */
async function file(path: string, session: Session): Promise<string> {
  const response = await send("GET", path, session);
  const text = await response.text();
  if (!response.ok) throw problemOf(response.status, text ? JSON.parse(text) : {});
  return text;
}

/** RFC 7807's own members (and ASP.NET's errors): every other member of a problem is one of its extensions. */
const problemMembers = new Set(["type", "title", "status", "detail", "instance", "errors"]);

/** Retry-After as seconds from now: a number of seconds, or an HTTP date (RFC 9110); null when absent or neither. */
export function retryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function problemOf(status: number, json: unknown, retryAfterSeconds: number | null = null): ApiError {
  const problem = json as { type?: string; title?: string; detail?: string; errors?: Record<string, string[]> };
  const detail = problem.detail ?? Object.values(problem.errors ?? {}).flat().join(" ") ?? problem.title;
  const extensions =
    typeof json === "object" && json !== null && !Array.isArray(json)
      ? Object.fromEntries(Object.entries(json).filter(([name]) => !problemMembers.has(name)))
      : {};
  return new ApiError(status, problem.type ?? "about:blank", detail || `Request failed (${status})`, problem.errors ?? {}, extensions, retryAfterSeconds);
}

/** Sends with the session's access token (renewed once when it expired), or none. */
async function send(
  method: string,
  path: string,
  session: Session | null,
  body?: unknown,
  headers?: Record<string, string>,
  signal?: AbortSignal,
): Promise<Response> {
  const attempt = (accessToken: string | null) =>
    fetch(path, {
      signal,
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  let response: Response;
  if (session) {
    const fresh = await freshSession(session.userId);
    if (!fresh) throw sessionEnded();
    response = await attempt(fresh.accessToken);
    if (response.status === 401 && !(await refusesPassword(response))) {
      const renewed = await renewSession(session.userId, fresh.accessToken);
      if (!renewed) throw sessionEnded();
      response = await attempt(renewed.accessToken);
    }
  } else {
    response = await attempt(null);
  }
  return response;
}

/**
 * A 401 that refuses the password the user typed (changing it, deleting the account), not the token: renewing the
 * session and sending it again would only spend a refresh token and count as a second wrong attempt.
 */
async function refusesPassword(response: Response): Promise<boolean> {
  const problem = (await response.clone().json().catch(() => ({}))) as { type?: string };
  return problem.type?.endsWith("/invalid-credentials") ?? false;
}

/**
 * The challenge of a right password when 2-step verification is on (401 `two-step-required`, ADR 0052): what the
 * app's code is sent back with, and for how many days "Don't ask again on this browser" remembers it (the gateway's
 * `TwoStep:TrustedDeviceDays`). Null for any other failure.
 */
export function twoStepChallenge(e: unknown): TwoStepChallenge | null {
  if (!(e instanceof ApiError) || !e.type.endsWith("/two-step-required") || typeof e.extensions.challenge !== "string") return null;
  const { challenge, rememberDays } = e.extensions;
  return { challenge, rememberDays: typeof rememberDays === "number" ? rememberDays : null };
}

/** What the rider owes now (minor units) when a waiver was refused because it changed since the desk showed it (409 owed-changed, ADR 0053); else null. */
export function owedNow(e: unknown): number | null {
  if (!(e instanceof ApiError) || !e.type.endsWith("/owed-changed")) return null;
  const owed = Number(e.extensions.owedMinor);
  return Number.isFinite(owed) ? owed : null;
}

/** What to tell the user when a call failed: the gateway's own words, or that it could not be reached. */
export function failureText(e: unknown): string {
  return e instanceof ApiError ? e.message : "Could not reach UberClone. Try again.";
}

const sessionEnded = () => new ApiError(401, "session-ended", "Your session has ended. Sign in again.");

export type SignUp = {
  email: string;
  password: string;
  role: SignUpRole;
  name: string;
  vehicle?: { make: string; model: string; plate: string; colour: string; class: VehicleClass };
  /** This browser's IANA time zone: mails give times in it. */
  timeZone?: string;
};

/** This browser's IANA time zone ("Europe/Berlin"), if it says. */
export function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

export const api = {
  signUp: (form: SignUp) => call<TokenPair>("POST", "/api/auth/signup", null, form),
  /** trustedDevice: the token of a browser remembered at a 2-step sign-in (ADR 0052), which then skips the code. */
  signIn: (email: string, password: string, trustedDevice?: string) => call<TokenPair>("POST", "/api/auth/signin", null, { email, password, trustedDevice }),
  /** Mails a six-digit code to the account with this email, if there is one (202 either way); 429 when asked too often. */
  requestPasswordReset: (email: string) => call<PasswordResetRequested>("POST", "/api/auth/password-reset", null, { email }),
  /**
   * The second step of signing in when 2-step verification is on (ADR 0052): the challenge the first step's 401
   * `two-step-required` gave, and the app's 6-digit code or a recovery code. 401 `two-step-code-wrong` (the detail says
   * how many tries are left), 401 `two-step-expired` when the password must be typed again, 409 `two-step-turned-off`
   * when it was turned off meanwhile (the password alone signs in). rememberBrowser: the answer's trustedDevice skips
   * the code at this browser's next sign-ins.
   */
  signInTwoStep: (challenge: string, code: string, rememberBrowser = false) =>
    call<TokenPair>("POST", "/api/auth/signin/two-step", null, { challenge, code, rememberBrowser }),
  /**
   * The mailed code and a new password sign in (the pair, as sign-in answers) and end every earlier session of the
   * account. 400 with the detail to show when the code is refused (wrong, expired, used up), 403 when suspended.
   */
  confirmPasswordReset: (email: string, code: string, newPassword: string) =>
    call<TokenPair>("POST", "/api/auth/password-reset/confirm", null, { email, code, newPassword }),

  // The signed-in rider's or driver's own account.
  me: (s: Session) => call<Me>("GET", "/api/auth/me", s),
  /** 400 when the name is empty or over 80 characters (trimmed). */
  updateName: (s: Session, name: string) => call<Me>("PATCH", "/api/auth/me", s, { name }),
  /** The time zone mails give times in; 400 for a zone the gateway does not know. */
  updateTimeZone: (s: Session, timeZone: string) => call<Me>("PATCH", "/api/auth/me", s, { timeZone }),
  /**
   * The six-digit code mailed to the account's address confirms it (the answer: the account, emailVerified true). 400 with
   * the detail to show when the code is refused (wrong, expired, too many wrong codes, none asked), 409 when already confirmed.
   */
  verifyEmail: (s: Session, code: string) => call<Me>("POST", "/api/auth/me/email/verify", s, { code }),
  /** Mails a new confirmation code (202; mailed: false when one went less than a minute ago), 409 when already confirmed. */
  sendEmailCode: (s: Session) => call<EmailCodeRequested>("POST", "/api/auth/me/email/code", s),
  /**
   * A rider's or driver's account moves to a new email: the password again, then a six-digit code is mailed to the new
   * address (202; mailed: false when one went there less than a minute ago). The account keeps its email until the code
   * is entered. 400 (invalid, or the account's email already), 401 wrong password, 403 support accounts, 409 taken, 429.
   */
  requestEmailChange: (s: Session, newEmail: string, password: string) =>
    call<EmailCodeRequested>("POST", "/api/auth/me/email-change", s, { newEmail, password }),
  /**
   * The code mailed to the new address: the answer is the account on its new email, confirmed. 400 with the detail to
   * show when the code is refused (wrong, expired, too many wrong codes, none asked), 409 when another account took it.
   */
  confirmEmailChange: (s: Session, code: string) => call<Me>("POST", "/api/auth/me/email-change/confirm", s, { code }),
  /**
   * A rider's work email for the receipts of business rides (ADR 0034): a six-digit code is mailed to it (202; mailed:
   * false when one went there less than a minute ago); the profile shows it unconfirmed until the code is typed.
   */
  setBusinessProfile: (s: Session, workEmail: string) => call<BusinessProfileCodeSent>("PUT", "/api/auth/me/business-profile", s, { workEmail }),
  /** The code mailed to the work email: the answer is the account, its work email confirmed. 400 with the detail to show when refused. */
  confirmBusinessProfile: (s: Session, code: string) => call<Me>("POST", "/api/auth/me/business-profile/confirm", s, { code }),
  removeBusinessProfile: (s: Session) => call<Me>("DELETE", "/api/auth/me/business-profile", s),
  /**
   * Every session of the user ends, this one's tokens too: the answer is the pair to keep as the session at once.
   * 401 when the current password is wrong, 429 after too many attempts.
   */
  changePassword: (s: Session, currentPassword: string, newPassword: string) =>
    call<TokenPair>("POST", "/api/auth/me/password", s, { currentPassword, newPassword }),
  /** Which mail the account gets: each kind it may turn off, on or off (none for support accounts), and what is mailed either way. */
  mailPreferences: (s: Session) => call<MailPreferences>("GET", "/api/auth/me/mail", s),
  /** Turns kinds of mail on or off ({ receipts: false }); the answer is all of them as they now are. 400 for a kind not of the caller's role. */
  setMailPreferences: (s: Session, changes: Record<string, boolean>) => call<MailPreferences>("PUT", "/api/auth/me/mail", s, changes),
  /** "Download my data": the account, saved places, every trip with its receipt, and help requests (one JSON document). */
  exportData: (s: Session) => call<unknown>("GET", "/api/auth/me/export", s),
  /** The account is gone, and every session of it (204). 409 with why when a ride is under way or a trip is unpaid. */
  /** Asks to delete the account: every device is signed out now, and it is erased at eraseAt unless its owner signs in before. */
  deleteAccount: (s: Session, password: string) => call<{ eraseAt: string; message: string }>("POST", "/api/auth/me/delete", s, { password }),

  /**
   * Cars and each class's pickup ETA near the pickup; withPet: only drivers who welcome pets, who alone are offered such a
   * ride (ADR 0041); wheelchair: only wheelchair-accessible vehicles, likewise (ADR 0045).
   */
  nearby: (s: Session, pickup: LatLng, withPet = false, wheelchair = false) =>
    call<Nearby>(
      "GET",
      `/api/drivers/nearby?lat=${pickup.lat}&lng=${pickup.lng}${withPet ? "&withPet=true" : ""}${wheelchair ? "&wheelchair=true" : ""}`,
      s,
    ),
  /** Prices for a ride through stops on the way (in order, at most 3; 400 with the detail to show when more or out of range). */
  quote: (s: Session, pickup: LatLng, dropoff: LatLng, stops: LatLng[] = []) =>
    call<Quote>("POST", "/api/trips/quotes", s, stops.length > 0 ? { pickup, dropoff, stops } : { pickup, dropoff }),
  /**
   * Books the quote now, or for later (scheduledFor: the pickup time, an ISO instant), paid with a saved card (cardId,
   * from cards(); none: the rider's default card). 400 with the detail to show when the card declines the hold of the
   * price, or the chosen card is no longer saved or has expired. Booking now with a card whose bank wants the rider to
   * confirm the hold (3-D Secure): 400 card-authentication-required, whose authenticationUrl is the bank's page; back
   * from it (/rider?booking=authenticated), the same quote, class and card booked again answer what the bank said.
   * pickup: the note for the driver and who rides when it is someone else (ADR 0031; 400 naming the field that cannot be),
   * and withPet (ADR 0041: the quote's petFee is added; 400 where pets are not taken), and payInCash (ADR 0042: no card
   * held; 400 where the quote's cashAccepted is false or for a business ride), and wheelchairAccessible (ADR 0045: the
   * same price; 400 where the quote's wheelchairAccessible is false).
   */
  requestTrip: (s: Session, quoteId: string, vehicleClass: VehicleClass, idempotencyKey: string, scheduledFor?: string, cardId?: string, pickup: PickupDetails = {}) =>
    call<Trip>(
      "POST",
      "/api/trips",
      s,
      { quoteId, vehicleClass, ...(scheduledFor ? { scheduledFor } : {}), ...(cardId ? { cardId } : {}), ...pickup },
      { "idempotency-key": idempotencyKey },
    ),
  /** The rider's repeating rides (ADR 0043), oldest first. */
  pinVerification: (s: Session) => call<PinVerificationSetting>("GET", "/api/trips/pin-verification", s),
  setPinVerification: (s: Session, setting: PinVerificationSetting) => call<PinVerificationSetting>("PUT", "/api/trips/pin-verification", s, setting),
  /** The rider's ride preferences (ADR 0049): rides booked from then on copy them. */
  ridePreferences: (s: Session) => call<RidePreferences>("GET", "/api/trips/ride-preferences", s),
  setRidePreferences: (s: Session, preferences: RidePreferences) => call<RidePreferences>("PUT", "/api/trips/ride-preferences", s, preferences),
  rideSchedules: (s: Session) => call<{ schedules?: RideSchedule[] }>("GET", "/api/trips/schedules", s).then((r) => r.schedules ?? []),
  /** Adds a repeating ride; 400 with the detail to show (a field, five already, a card that cannot pay). */
  createRideSchedule: (s: Session, schedule: NewRideSchedule) => call<RideSchedule>("POST", "/api/trips/schedules", s, schedule),
  pauseRideSchedule: (s: Session, id: string) => call<RideSchedule>("POST", `/api/trips/schedules/${id}/pause`, s, {}),
  resumeRideSchedule: (s: Session, id: string) => call<RideSchedule>("POST", `/api/trips/schedules/${id}/resume`, s, {}),
  /** Skips the next ride (pickupAt: the one shown as next); the one after it is booked instead. */
  skipRideSchedule: (s: Session, id: string, pickupAt: string) => call<RideSchedule>("POST", `/api/trips/schedules/${id}/skip`, s, { pickupAt }),
  /** Support: a rider's repeating rides, as the rider reads them. */
  opsRiderSchedules: (s: Session, riderId: string) =>
    call<{ schedules?: RideSchedule[] }>("GET", `/api/trips/ops/riders/${encodeURIComponent(riderId)}/schedules`, s).then((r) => r.schedules ?? []),
  /** Deletes it; the rides it booked stay booked. */
  /** Sets (yyyy-MM-dd) or clears ("") the last day a repeating ride books a ride for. */
  setRideScheduleEnd: (s: Session, id: string, endsOn: string) => call<RideSchedule>("PUT", `/api/trips/schedules/${id}/ends-on`, s, { endsOn }),
  deleteRideSchedule: (s: Session, id: string) => call<unknown>("DELETE", `/api/trips/schedules/${id}`, s),
  /** The rider's rides booked for later that have not started looking for a driver, soonest first. */
  scheduledTrips: (s: Session) => call<{ trips?: Trip[] }>("GET", "/api/trips/scheduled", s).then((r) => r.trips ?? []),
  /**
   * Moves a ride booked for later to another pickup time (an ISO instant), at the price agreed. 400 with the detail to
   * show when the time is too soon or too far ahead, or its search has started; 404 when it is not the rider's.
   */
  reschedule: (s: Session, tripId: string, scheduledFor: string) => call<Trip>("POST", `/api/trips/${tripId}/reschedule`, s, { scheduledFor }),
  /** The driver's quests running now or ended in the last week, each with their progress; near: where they are (other cities' quests left out). */
  myQuests: (s: Session, near?: LatLng) =>
    call<{ quests?: DriverQuest[] }>("GET", near ? `/api/trips/quests?lat=${near.lat}&lng=${near.lng}` : "/api/trips/quests", s).then((r) => r.quests ?? []),
  /** The rider's promotions, newest first. */
  myPromotions: (s: Session) => call<{ promotions?: RiderPromotion[] }>("GET", "/api/trips/promotions", s).then((r) => r.promotions ?? []),
  /**
   * Adds a code to the rider's account (one held already changes nothing); the answer is their promotions. 404 for an
   * unknown code, 400 with the detail to show when it ended, expired or has as many riders as it allows.
   */
  addPromotion: (s: Session, code: string) =>
    call<{ promotions?: RiderPromotion[] }>("POST", "/api/trips/promotions", s, { code }).then((r) => r.promotions ?? []),
  /** The rider's invite for friends (made the first time it is asked for); 400 with a detail when inviting is turned off. */
  myInvite: (s: Session) => call<Invite>("GET", "/api/trips/promotions/invite", s),
  /** Where quotes surge now within about 10 km of a point (drivers' map). */
  surge: (s: Session, at: LatLng) => call<SurgeMap>("GET", `/api/trips/surge?lat=${at.lat}&lng=${at.lng}`, s),
  activeTrip: async (s: Session): Promise<Trip | null> => {
    try {
      return await call<Trip>("GET", "/api/trips/active", s);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },
  trip: (s: Session, tripId: string) => call<Trip>("GET", `/api/trips/${tripId}`, s),
  /** Rides for later near the driver that nobody reserved (ADR 0047), soonest first; near: where to look from (else their last position). */
  reservableRides: (s: Session, near?: LatLng | null) =>
    call<{ rides?: ReservableRide[] }>("GET", near ? `/api/trips/reservable?lat=${near.lat}&lng=${near.lng}` : "/api/trips/reservable", s).then((r) => r.rides ?? []),
  /** The driver's reserved rides, their strikes and whether reserving is paused (ADR 0050). */
  myReservations: (s: Session) => call<ReservableRideList>("GET", "/api/trips/reservations", s),
  /** Support: a driver's reserved rides, strikes and pause (ADR 0050). */
  opsDriverReservations: (s: Session, driverId: string) => call<ReservableRideList>("GET", `/api/trips/ops/drivers/${encodeURIComponent(driverId)}/reservations`, s),
  /** Support removes a driver's strike (ADR 0050), saying why: their standing as it is then. */
  removeReservationStrike: (s: Session, driverId: string, tripId: string, reason: string) =>
    call<ReservableRideList>("POST", `/api/trips/ops/drivers/${encodeURIComponent(driverId)}/reservations/strikes/remove`, s, { tripId, reason }),
  reserveRide: (s: Session, tripId: string) => call<ReservableRide>("POST", `/api/trips/${tripId}/reservation`, s, {}),
  /** The reserving driver releases it (reason ignored), or support with a reason. */
  releaseReservation: (s: Session, tripId: string, reason = "") => call<Trip>("POST", `/api/trips/${tripId}/reservation/release`, s, { reason }),
  tripDriver: (s: Session, tripId: string) => call<DriverProfile>("GET", `/api/trips/${tripId}/driver`, s),
  tripRider: (s: Session, tripId: string) => call<RiderProfile>("GET", `/api/trips/${tripId}/rider`, s),
  /** What the other side thinks of the signed-in rider or driver: the average of their stars and how many (0s left out). */
  myRating: (s: Session) => call<RatingSummary>("GET", "/api/trips/ratings/me", s),
  /** Support (ADR 0055): a driver's rating and their standing over their recent rated trips, for the desk's driver card. */
  driverRating: (s: Session, driverId: string) => call<RatingSummary>("GET", `/api/trips/ops/drivers/${encodeURIComponent(driverId)}/rating`, s),
  /** Support (ADR 0056): a rider's rating and their standing over their recent rated trips, for the desk's rider card. */
  riderRating: (s: Session, riderId: string) => call<RatingSummary>("GET", `/api/trips/ops/riders/${encodeURIComponent(riderId)}/rating`, s),
  /** Support (ADR 0056): a rider their rating restricted starts afresh and books again; 409 when not restricted. */
  reinstateRiderRating: (s: Session, riderId: string, reason: string) =>
    call<RatingSummary>("POST", `/api/trips/ops/riders/${encodeURIComponent(riderId)}/rating/reinstate`, s, { reason }),
  /** A month's ("2026-12") or a whole year's ("2026") earnings, in the driver's time zone, as CSV text: a row per trip or fee earned. */
  earningsCsv: (s: Session, period: { month: string } | { year: string }) =>
    file(`/api/drivers/me/earnings.csv?${"year" in period ? `year=${encodeURIComponent(period.year)}` : `month=${encodeURIComponent(period.month)}`}`, s),
  /** A month's ("2026-11") business rides, in the rider's time zone, as CSV text for an expense report (ADR 0034). */
  businessReportCsv: (s: Session, month: string) => file(`/api/trips/business-report?month=${encodeURIComponent(month)}`, s),
  earnings: (s: Session, from: Date, to: Date) =>
    call<EarningsSummary>("GET", `/api/trips/earnings?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`, s),
  history: (s: Session) => call<{ trips?: Trip[] }>("GET", "/api/trips?limit=20", s).then((r) => r.trips ?? []),
  /** The trip history, and a rider's rides they paid a share of (ADR 0040), as they see them. */
  historyWithSplits: (s: Session) =>
    call<{ trips?: Trip[]; splitRides?: SplitInvitation[] }>("GET", "/api/trips?limit=20", s).then((r) => ({ trips: r.trips ?? [], splitRides: r.splitRides ?? [] })),
  /** maxFeeMinor: the most the rider agreed to pay (the fee they were shown); the gateway answers 409 if it is now more. */
  /** The driver waited at the pickup and the rider did not come: the trip is cancelled and the rider pays the fee. */
  reportNoShow: (s: Session, tripId: string) => call<Trip>("POST", `/api/trips/${tripId}/no-show`, s, {}),
  cancel: (s: Session, tripId: string, reason: string, maxFeeMinor?: number) =>
    call<Trip>("POST", `/api/trips/${tripId}/cancel`, s, { reason, maxFeeMinor }),
  /** The fare to a new drop-off during the trip; nothing changes. */
  destinationQuote: (s: Session, tripId: string, dropoff: LatLng) =>
    call<DestinationQuote>("POST", `/api/trips/${tripId}/destination/quote`, s, { dropoff }),
  /** maxFareMinor: the fare the rider was shown; the gateway answers 409 (nothing changed) if it is now more. */
  changeDestination: (s: Session, tripId: string, dropoff: LatLng, maxFareMinor: number) =>
    call<Trip>("POST", `/api/trips/${tripId}/destination`, s, { dropoff, maxFareMinor }),
  /** Moves the pickup a little while the driver is on the way (ADR 0046): 400 saying why when too far, 409 once they wait there. */
  movePickup: (s: Session, tripId: string, location: LatLng) => call<Trip>("POST", `/api/trips/${tripId}/pickup`, s, { location }),
  /** The note for the driver while they are on the way or waiting (empty removes it); 409 once the ride started (ADR 0031). */
  changePickupNote: (s: Session, tripId: string, note: string) => call<Trip>("PUT", `/api/trips/${tripId}/pickup-note`, s, { note }),
  /** The ride's preferences (the whole set) until it ends (ADR 0049); the driver is told at once. 409 once it ended. */
  changeTripPreferences: (s: Session, tripId: string, preferences: RidePreferences) =>
    call<Trip>("PUT", `/api/trips/${tripId}/preferences`, s, preferences),
  /** A completed ride becomes personal or business (with a memo) for 30 days after it ended; 409 otherwise (ADR 0034). */
  switchTripProfile: (s: Session, tripId: string, profile: RideProfile, expenseMemo?: string) =>
    call<Trip>("PUT", `/api/trips/${tripId}/profile`, s, { profile, ...(expenseMemo ? { expenseMemo } : {}) }),
  arrive: (s: Session, tripId: string, location: LatLng) => call<Trip>("POST", `/api/trips/${tripId}/arrive`, s, { location }),
  /**
   * The driver, while riding, is at stop `index` (0-based, in order) where `location` is: 400 with the detail to show when
   * farther than 100 m or an earlier stop is not reached yet; a stop reached already changes nothing.
   */
  reachStop: (s: Session, tripId: string, index: number, location: LatLng) =>
    call<Trip>("POST", `/api/trips/${tripId}/stops/${index}/reached`, s, { location }),
  start: (s: Session, tripId: string, pin: string) => call<Trip>("POST", `/api/trips/${tripId}/start`, s, { pin }),
  complete: (s: Session, tripId: string) => call<Trip>("POST", `/api/trips/${tripId}/complete`, s, {}),
  /** Support ends a ride under way that its driver cannot; the rider pays the upfront fare. */
  completeBySupport: (s: Session, tripId: string, reason: string) => call<Trip>("POST", `/api/trips/${tripId}/complete`, s, { reason }),
  rate: (s: Session, tripId: string, stars: number, comment: string) =>
    call<Trip>("POST", `/api/trips/${tripId}/rating`, s, { stars, comment }),
  retryPayment: (s: Session, tripId: string) => call<Trip>("POST", `/api/trips/${tripId}/payment/retry`, s, {}),
  /**
   * Support waives what the rider owes on the trip after its payment failed (ADR 0053), or amountMinor of it (absent: all
   * of it). owedMinor: what the desk showed owed; another amount owed now is 409 owed-changed (see owedNow). The
   * idempotency key (one per confirmed click) makes a retried request waive a part once.
   */
  waivePayment: (s: Session, tripId: string, reason: string, idempotencyKey: string, owedMinor: number, amountMinor?: number) =>
    call<Trip>("POST", `/api/trips/${tripId}/payment/waive`, s, { reason, amountMinor, owedMinor }, { "idempotency-key": idempotencyKey }),
  /**
   * A colleague approves the waiver awaiting approval they saw (askedAt: its waiverRequest.askedAt; above the limit one
   * account may waive alone; ADR 0053).
   */
  approveWaiver: (s: Session, tripId: string, askedAt: string) => call<Trip>("POST", `/api/trips/${tripId}/payment/waive/approve`, s, { askedAt }),
  /** The waiver awaiting approval (askedAt as for approving) is withdrawn (by who asked) or declined (by a colleague): nothing is waived. */
  declineWaiver: (s: Session, tripId: string, askedAt: string) => call<Trip>("POST", `/api/trips/${tripId}/payment/waive/decline`, s, { askedAt }),
  /** Support's list of the waivers awaiting a colleague's approval, oldest first (ADR 0053). */
  awaitingWaivers: async (s: Session) => (await call<{ waivers: AwaitingWaiver[] }>("GET", "/api/trips/waivers/awaiting", s)).waivers,
  /**
   * The ride is paid with another saved card from now on (ADR 0032): what is held moves to it first. 400 with the detail
   * to show when that card's bank declines (nothing changed), 409 while the bank is still answering for the hold.
   */
  payTripWithCard: (s: Session, tripId: string, cardId: string) => call<Trip>("POST", `/api/trips/${tripId}/card`, s, { cardId }),
  /** The trip's newest payment session; its attempt (≥ 1) says which of the trip's attempts it is. */
  payment: (s: Session, tripId: string) => call<TripPayment>("GET", `/api/payments/trips/${tripId}`, s),
  // A rider's saved cards (ADR 0024): the default one is charged when a ride ends. Drivers and support get 403.
  cards: (s: Session) => call<Wallet>("GET", "/api/payments/cards", s),
  /**
   * Starts adding a card: the answer's url is the provider's page to send the browser to (relative in the sandbox), which
   * comes back to /account?card=added or ?card=cancelled. 409 when as many cards as allowed are saved.
   */
  addCard: (s: Session) => call<CardSetup>("POST", "/api/payments/cards/setup", s),
  /** The card charged from now on; the answer is the wallet as it now is (404 for a card that is not the rider's). */
  makeDefaultCard: (s: Session, cardId: string) => call<Wallet>("POST", `/api/payments/cards/${encodeURIComponent(cardId)}/default`, s),
  /** Forgets a card (never charged again); the most recently added one left becomes the default if it was. 404 when unknown. */
  removeCard: (s: Session, cardId: string) => call<Wallet>("DELETE", `/api/payments/cards/${encodeURIComponent(cardId)}`, s),
  /** The rider's ride credit (ADR 0051): a balance per currency and the newest lines. Drivers and support get 403. */
  credit: (s: Session) => call<RideCredit>("GET", "/api/payments/credit", s),
  // A driver's payouts (ADR 0025): what they are owed, where it is paid, and the payouts made. Riders and support get 403.
  payouts: (s: Session) => call<DriverPayouts>("GET", "/api/payments/payouts", s),
  /**
   * Starts setting up (or changing) the bank account payouts go to: the answer's url is the provider's page to send the
   * browser to (relative in the sandbox), which comes back to /driver?payouts=ready or ?payouts=cancelled.
   */
  setUpPayouts: (s: Session) => call<PayoutOnboarding>("POST", "/api/payments/payouts/account", s),
  /**
   * Pays out everything owed now; the answer is the payouts as they now are. 409 with the detail to show (no account,
   * not enough owed, too many cash-outs today), 502 when the provider did not answer (the payout stays pending and is retried).
   */
  cashOut: (s: Session) => call<DriverPayouts>("POST", "/api/payments/payouts", s),
  /** A lost item (ADR 0035): the rider reports it (409 while one is open) and may close it; the trip's driver answers and marks it returned. */
  reportLostItem: (s: Session, tripId: string, description: string, phone: string) => call<Trip>("POST", `/api/trips/${tripId}/lost-item`, s, { description, phone }),
  answerLostItem: (s: Session, tripId: string, found: boolean, note: string) => call<Trip>("POST", `/api/trips/${tripId}/lost-item/answer`, s, { found, note }),
  lostItemReturned: (s: Session, tripId: string) => call<Trip>("POST", `/api/trips/${tripId}/lost-item/returned`, s, {}),
  payLostItemFee: (s: Session, tripId: string) => call<Trip>("POST", `/api/trips/${tripId}/lost-item/pay`, s, {}),
  closeLostItem: (s: Session, tripId: string) => call<Trip>("POST", `/api/trips/${tripId}/lost-item/close`, s, {}),
  tip: (s: Session, tripId: string, amountMinor: number) => call<Trip>("POST", `/api/trips/${tripId}/tip`, s, { amountMinor }),
  places: (s: Session) => call<{ places?: SavedPlace[] }>("GET", "/api/me/places", s),
  savePlace: (s: Session, label: string, point: LatLng) =>
    call<{ places?: SavedPlace[] }>("PUT", `/api/me/places/${encodeURIComponent(label)}`, s, { lat: point.lat, lng: point.lng }),
  removePlace: (s: Session, label: string) => call<{ places?: SavedPlace[] }>("DELETE", `/api/me/places/${encodeURIComponent(label)}`, s),
  messages: (s: Session, tripId: string) => call<{ messages?: TripMessage[] }>("GET", `/api/trips/${tripId}/messages`, s),
  sendMessage: (s: Session, tripId: string, text: string, clientMessageId: string) =>
    call<TripMessage>("POST", `/api/trips/${tripId}/messages`, s, { text, clientMessageId }),
  share: (s: Session, tripId: string) => call<Trip>("POST", `/api/trips/${tripId}/share`, s, {}),
  // Split fare (ADR 0040): the rider asks other riders by email; each invitee answers from their own list.
  inviteToSplit: (s: Session, tripId: string, email: string) => call<Trip>("POST", `/api/trips/${tripId}/split`, s, { email }),
  withdrawSplitInvitation: (s: Session, tripId: string, inviteeId: string) =>
    call<Trip>("DELETE", `/api/trips/${tripId}/split/${encodeURIComponent(inviteeId)}`, s),
  splitInvitations: (s: Session) => call<{ invitations?: SplitInvitation[] }>("GET", "/api/trips/split-invitations", s),
  answerSplitInvitation: (s: Session, tripId: string, accept: boolean, cardId?: string) =>
    call<SplitInvitation>("POST", `/api/trips/${tripId}/split/answer`, s, { accept, cardId }),
  stopSharing: (s: Session, tripId: string) => call<Trip>("DELETE", `/api/trips/${tripId}/share`, s),
  // Help with a trip: its rider or driver asks support (one request of theirs per trip until it is closed), support answers.
  // A message's clientMessageId (1-64 letters/digits), sent again with the same text, stores it once.
  /** Adds the text to the caller's request about the trip that is not closed, or opens one; the answer is that request. */
  openHelp: (s: Session, tripId: string, topic: HelpTopic, text: string, clientMessageId: string) =>
    call<HelpRequest>("POST", `/api/trips/${tripId}/help`, s, { topic, text, clientMessageId }),
  /**
   * The emergency button (the trip's rider or driver, while it is under way or within the hour after it ended): their
   * safety request about the trip gets what happened and where the phone is (when given), is marked urgent and goes to
   * the top of support's queue; the answer is that request.
   */
  emergency: (s: Session, tripId: string, clientMessageId: string, location?: LatLng) =>
    call<HelpRequest>("POST", `/api/trips/${tripId}/emergency`, s, { clientMessageId, location }),
  /**
   * RideCheck (ADR 0033): the rider or driver answers the ride's open safety check; "help" alerts support as the emergency
   * button does. 409 when it is no longer open (the other side answered first).
   */
  answerSafetyCheck: (s: Session, tripId: string, answer: "ok" | "help") => call<Trip>("POST", `/api/trips/${tripId}/safety-check`, s, { answer }),
  /** The caller's requests about the trip, newest first (support: every request about it). */
  tripHelp: (s: Session, tripId: string) => call<{ requests?: HelpRequest[] }>("GET", `/api/trips/${tripId}/help`, s).then((r) => r.requests ?? []),
  /** A rider's or driver's own requests, newest first. */
  myHelp: (s: Session) => call<{ requests?: HelpRequest[] }>("GET", "/api/trips/help", s).then((r) => r.requests ?? []),
  /** Support's lists: waiting for an answer (longest waiting first), answered or closed (newest first). */
  helpQueue: (s: Session, status: HelpQueueStatus = "waiting") =>
    call<{ requests?: HelpRequest[] }>("GET", `/api/trips/help?status=${status}`, s).then((r) => r.requests ?? []),
  /** Support: one rider's or driver's requests, newest first (on their card). */
  userHelp: (s: Session, userId: string) =>
    call<{ requests?: HelpRequest[] }>("GET", `/api/trips/help?userId=${encodeURIComponent(userId)}`, s).then((r) => r.requests ?? []),
  helpRequest: (s: Session, requestId: string) => call<HelpRequest>("GET", `/api/trips/help/${encodeURIComponent(requestId)}`, s),
  /** The owner's message makes it wait for support again, support's makes it answered; a closed request refuses it (400). */
  helpMessage: (s: Session, requestId: string, text: string, clientMessageId: string) =>
    call<HelpRequest>("POST", `/api/trips/help/${encodeURIComponent(requestId)}/messages`, s, { text, clientMessageId }),
  closeHelp: (s: Session, requestId: string) => call<HelpRequest>("POST", `/api/trips/help/${encodeURIComponent(requestId)}/close`, s, {}),
  /** No sign-in: the token is the capability. */
  /** Gives up after <paramref name="timeoutMs"/>: a page that reads again and again must not wait forever on one read. */
  sharedTrip: (token: string, timeoutMs = 15_000) =>
    call<SharedTrip>("GET", `/api/shared-trips/${encodeURIComponent(token)}`, null, undefined, undefined, AbortSignal.timeout(timeoutMs)),
  /**
   * No sign-in: the token in a mail's "To stop these mails" link is the capability. What it would turn off (changes
   * nothing: mail scanners open links); 400 with the detail to show for a link that is not valid, 404 for an account gone.
   */
  mailLink: (token: string) => call<MailLinkState>("GET", `/api/mail/unsubscribe?t=${encodeURIComponent(token)}`, null),
  /** The link's kind of mail is not mailed any more (the answer: on false, and a message saying so). */
  unsubscribe: (token: string) => call<MailLinkState>("POST", `/api/mail/unsubscribe?t=${encodeURIComponent(token)}`, null),
  /** Undoes unsubscribe: the link's kind of mail is mailed again. */
  resubscribe: (token: string) => call<MailLinkState>("POST", `/api/mail/resubscribe?t=${encodeURIComponent(token)}`, null),

  driverMe: async (s: Session): Promise<DriverState | null> => {
    try {
      return await call<DriverState>("GET", "/api/drivers/me", s);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },
  goOnline: (s: Session, vehicleClass: VehicleClass, location: LatLng) =>
    call<DriverState>("POST", "/api/drivers/me/online", s, { vehicleClass, location }),
  goOffline: (s: Session) => call<DriverState>("POST", "/api/drivers/me/offline", s, {}),
  /** Whether the driver may go online, in which classes, and the documents they sent support. */
  driverApproval: (s: Session) => call<DriverApproval>("GET", "/api/drivers/me/approval", s),
  /** Documents for support to review (status pending); 400 with errors by field name. */
  /** With `vehicle` when the driver changed cars: it becomes theirs once support approves it. */
  submitDriverDocuments: (s: Session, documents: DriverDocuments & { vehicle?: Vehicle }) =>
    call<DriverApproval>("PUT", "/api/drivers/me/approval/documents", s, documents),
  /** Only trips towards this place from now on (heading home); clearDestination: any trip again. */
  setDestination: (s: Session, destination: LatLng) => call<DriverState>("POST", "/api/drivers/me/destination", s, { destination }),
  clearDestination: (s: Session) => call<DriverState>("DELETE", "/api/drivers/me/destination", s),
  /** "Pets welcome" on or off (ADR 0041): rides with a pet are offered to the driver from now on, or no longer. */
  setPetsWelcome: (s: Session, welcome: boolean) => call<DriverState>("PUT", "/api/drivers/me/pets-welcome", s, { welcome }),
  /** "Accept cash rides" on or off (ADR 0042): rides paid in cash are offered to the driver from now on, or no longer. */
  setAcceptCash: (s: Session, accept: boolean) => call<DriverState>("PUT", "/api/drivers/me/cash", s, { accept }),

  // The support desk (an operator's session): any user, their trips, a trip's payments; refunds and cancellations.
  /** A copy of a paid ride's receipt to its rider's confirmed address (the rider, or support for them). */
  mailReceipt: (s: Session, tripId: string) =>
    call<{ message: string; mailed: boolean }>("POST", `/api/trips/${encodeURIComponent(tripId)}/receipt/email`, s, {}),
  /** The driver's earnings statement of the week containing weekOf (YYYY-MM-DD; default this week so far), by mail. */
  mailStatement: (s: Session, weekOf?: string) =>
    call<{ message: string; mailed: boolean }>("POST", "/api/drivers/me/statement/email", s, weekOf ? { weekOf } : {}),
  opsUser: (s: Session, userId: string) => call<OpsUser>("GET", `/api/ops/users/${encodeURIComponent(userId)}`, s),
  /** Drivers whose documents wait for support's review, longest waiting first (at most 100). */
  opsDriverApprovals: (s: Session) =>
    call<{ drivers?: DriverAwaitingApproval[] }>("GET", "/api/ops/driver-approvals", s).then((r) => r.drivers ?? []),
  /**
   * Support lets a driver with documents pending drive these classes (reason: an optional note), the vehicle wheelchair
   * accessible or not (ADR 0045: said with every approval); 400 when nothing is pending.
   */
  opsApproveDriver: (s: Session, userId: string, classes: VehicleClass[], reason?: string, wheelchairAccessible = false) =>
    call<DriverApproval>("POST", `/api/ops/users/${encodeURIComponent(userId)}/driver-approval/approve`, s, {
      classes,
      ...(reason ? { reason } : {}),
      wheelchairAccessible,
    }),
  /** Support refuses a driver's pending documents; the driver is told the reason. */
  opsRejectDriver: (s: Session, userId: string, reason: string) =>
    call<DriverApproval>("POST", `/api/ops/users/${encodeURIComponent(userId)}/driver-approval/reject`, s, { reason }),
  /**
   * Support narrows a driver's valid permit to `keep` (fewer of its classes) or takes it away (`[]`: revoked), saying why
   * (mailed to the driver); 400 when there is no valid permit, no reason, or `keep` is not a smaller part of it.
   * takeWheelchairAway (ADR 0045): wheelchair-accessible rides are no longer offered (the classes may all be kept).
   */
  opsRestrictDriver: (s: Session, userId: string, keep: VehicleClass[], reason: string, takeWheelchairAway = false) =>
    call<DriverApproval>("POST", `/api/ops/users/${encodeURIComponent(userId)}/driver-approval/restrict`, s, {
      classes: keep,
      reason,
      ...(takeWheelchairAway ? { wheelchairAccessible: false } : {}),
    }),
  /** What was mailed about an account (the last 30 days, newest first, at most 50). */
  opsUserMails: (s: Session, userId: string) =>
    call<{ mails?: OpsMail[] }>("GET", `/api/ops/users/${encodeURIComponent(userId)}/mails`, s).then((r) => r.mails ?? []),
  /** Where a rider or driver is signed in (support, read-only; ADR 0048): their live sessions, newest first. */
  opsUserSessions: (s: Session, userId: string) =>
    call<{ sessions?: SignedInSession[] }>("GET", `/api/ops/users/${encodeURIComponent(userId)}/sessions`, s).then((r) => r.sessions ?? []),
  /** A rider's saved cards (support only), as their account settings list them. */
  opsUserCards: (s: Session, userId: string) => call<Wallet>("GET", `/api/payments/riders/${encodeURIComponent(userId)}/cards`, s),
  /** Support removes one of a rider's saved cards (reported stolen, …), saying why: the rider's support trail keeps it. */
  opsRemoveUserCard: (s: Session, userId: string, cardId: string, reason: string) =>
    call<Wallet>("POST", `/api/payments/riders/${encodeURIComponent(userId)}/cards/${encodeURIComponent(cardId)}/remove`, s, { reason }),
  /** A rider's ride credit (support only), each line with who added it. */
  opsUserCredit: (s: Session, userId: string) => call<RideCredit>("GET", `/api/payments/riders/${encodeURIComponent(userId)}/credit`, s),
  /**
   * Support gives a rider ride credit (ADR 0051), at most maxGrantMinor, saying why (the rider is told it); the grantId
   * (also the idempotency key) makes a retried request add it once.
   */
  opsGiveCredit: (s: Session, userId: string, grant: { amountMinor: number; currency?: string; reason: string; grantId: string }) =>
    call<RideCredit>("POST", `/api/payments/riders/${encodeURIComponent(userId)}/credit`, s, grant, { "idempotency-key": grant.grantId }),
  /** A driver's payouts (support only), as their app shows them. */
  opsDriverPayouts: (s: Session, driverId: string) => call<DriverPayouts>("GET", `/api/payments/drivers/${encodeURIComponent(driverId)}/payouts`, s),
  /** A rider's promotions, as their Promotions card shows them. */
  opsUserPromotions: (s: Session, userId: string) =>
    call<{ promotions?: RiderPromotion[] }>("GET", `/api/ops/users/${encodeURIComponent(userId)}/promotions`, s).then((r) => r.promotions ?? []),
  /** Gives a rider a promotion support created (goodwill), as if they had added its code; 400/404 with the detail to show. */
  opsGivePromotion: (s: Session, userId: string, code: string) =>
    call<{ promotions?: RiderPromotion[] }>("POST", `/api/ops/users/${encodeURIComponent(userId)}/promotions`, s, { code }).then((r) => r.promotions ?? []),
  /** What the apps say before a user acts (no session needed): how long a deleted account is kept, in seconds. */
  policies: () => call<{ deletionGraceSeconds?: number }>("GET", "/api/auth/policies", null).then((r) => ({ deletionGraceSeconds: r.deletionGraceSeconds ?? 0 })),
  /** The account with this email; null when there is none. */
  opsUserByEmail: async (s: Session, email: string): Promise<OpsUser | null> => {
    try {
      return await call<OpsUser>("GET", `/api/ops/users?email=${encodeURIComponent(email)}`, s);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },
  /** Ends every session of the signed-in user, on every device (this one too). */
  signOutEverywhere: (s: Session) => call<unknown>("POST", "/api/auth/signout-everywhere", s),
  /** 2-step verification (ADR 0052): on or not, since when, recovery codes left, browsers remembered. */
  twoStep: (s: Session) => call<TwoStepStatus>("GET", "/api/auth/me/two-step", s),
  /** A new secret for an authenticator app (the password again; 401 invalid-credentials when wrong); 409 when on already. */
  setUpTwoStep: (s: Session, password: string) => call<TwoStepSetup>("POST", "/api/auth/me/two-step/setup", s, { password }),
  /** The app's first code turns it on: the ten recovery codes, shown this once. 400 when the code is not the app's. */
  enableTwoStep: async (s: Session, code: string) => (await call<{ codes: string[] }>("POST", "/api/auth/me/two-step/enable", s, { code })).codes,
  /** Off again: the password and a code (the app's or a recovery code). */
  disableTwoStep: (s: Session, password: string, code: string) => call<void>("POST", "/api/auth/me/two-step/disable", s, { password, code }),
  /** Ten new recovery codes (the password and a code), shown once: the ones left stop working. */
  newRecoveryCodes: async (s: Session, password: string, code: string) =>
    (await call<{ codes: string[] }>("POST", "/api/auth/me/two-step/recovery-codes", s, { password, code })).codes,
  /** Every browser remembered at sign-in asks for the code again; the status after. */
  forgetRememberedBrowsers: (s: Session) => call<TwoStepStatus>("DELETE", "/api/auth/me/two-step/remembered-browsers", s),
  /** Where the user is signed in (ADR 0048): their live sessions, newest first, this device's marked current. */
  signedInSessions: async (s: Session) => (await call<{ sessions: SignedInSession[] }>("GET", "/api/auth/me/sessions", s)).sessions,
  /** Signs one session out (its tokens and sockets, everywhere); 404 when it ended already. */
  endSignedInSession: (s: Session, id: string) => call<unknown>("DELETE", `/api/auth/me/sessions/${encodeURIComponent(id)}`, s),
  /** Support ends every session of a rider or driver (a lost phone, a stolen password). */
  /** "I forgot my password": a code to the caller's own address (mailed: false when one went less than a minute ago). */
  opsSendPasswordReset: (s: Session, userId: string) =>
    call<{ message: string; mailed: boolean }>("POST", `/api/ops/users/${encodeURIComponent(userId)}/password-reset`, s),
  opsSignOutEverywhere: (s: Session, userId: string) => call<unknown>("POST", `/api/ops/users/${encodeURIComponent(userId)}/signout-everywhere`, s),
  /** Support suspends an account (it cannot sign in, and every session of it ends) or lifts that. */
  opsSuspend: (s: Session, userId: string, reason: string) => call<OpsUser>("POST", `/api/ops/users/${encodeURIComponent(userId)}/suspend`, s, { reason }),
  opsReinstate: (s: Session, userId: string) => call<OpsUser>("POST", `/api/ops/users/${encodeURIComponent(userId)}/reinstate`, s, {}),
  /**
   * Support deletes a rider's or driver's account for its owner, as if they asked in the app (202: the account with its
   * eraseAt), or keeps one whose deletion waits; the reason goes to the audit trail.
   */
  opsDeleteAccount: (s: Session, userId: string, reason: string) => call<OpsUser>("POST", `/api/ops/users/${encodeURIComponent(userId)}/delete`, s, { reason }),
  /** An owner who lost the phone and the recovery codes (ADR 0052): off, the reason mailed to them and audited; 409 when off. */
  opsTurnOffTwoStep: (s: Session, userId: string, reason: string) =>
    call<OpsUser>("POST", `/api/ops/users/${encodeURIComponent(userId)}/two-step/turn-off`, s, { reason }),
  opsKeepAccount: (s: Session, userId: string, reason: string) => call<OpsUser>("POST", `/api/ops/users/${encodeURIComponent(userId)}/keep`, s, { reason }),
  /** A colleague's own support account (they sign in with this email and password). */
  addOperator: (s: Session, colleague: { email: string; name: string; password: string }) => call<OpsUser>("POST", "/api/ops/operators", s, colleague),
  /** Every support account, by name (ADR 0054): the desk names who acted from it (lib/operatorNames). */
  opsOperators: (s: Session) => call<{ operators: OperatorAccount[] }>("GET", "/api/ops/operators", s),
  /** A driver's state as dispatch sees it; null when they have never gone online. */
  opsDriver: async (s: Session, driverId: string): Promise<DriverState | null> => {
    try {
      return await call<DriverState>("GET", `/api/drivers/${encodeURIComponent(driverId)}`, s);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },
  /** The newest trips in a status (what is searching or under way now), newest first. */
  opsTripsInStatus: (s: Session, status: string) =>
    call<{ trips?: Trip[] }>("GET", `/api/trips?status=${encodeURIComponent(status)}&limit=20`, s).then((r) => r.trips ?? []),
  /** A rider's or a driver's trips, newest first. */
  opsTrips: (s: Session, user: Pick<OpsUser, "userId" | "role">) =>
    call<{ trips?: Trip[] }>("GET", `/api/trips?${user.role === "driver" ? "driverId" : "riderId"}=${encodeURIComponent(user.userId)}&limit=50`, s).then((r) =>
      [...(r.trips ?? [])].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)),
    ),
  /** What support changed on a trip, on an account (and the trips it rode or drove), or what one operator did; newest first. */
  opsAudit: (s: Session, about: AuditSubject) => {
    const [field, id] = "tripId" in about ? ["tripId", about.tripId] : "userId" in about ? ["userId", about.userId] : ["operatorId", about.operatorId];
    return call<{ actions?: SupportAction[] }>("GET", `/api/ops/audit?${field}=${encodeURIComponent(id)}`, s).then((r) => r.actions ?? []);
  },
  /** Support's driver quests (ADR 0038), newest first, with how many drivers reached each. */
  opsQuests: (s: Session) => call<{ quests?: Quest[] }>("GET", "/api/trips/ops/quests", s).then((r) => r.quests ?? []),
  /** 400 with a detail naming the field that cannot work. */
  createQuest: (s: Session, quest: NewQuest) => call<Quest>("POST", "/api/trips/ops/quests", s, quest),
  /** Rides completed from now on do not count; bonuses earned stay. */
  endQuest: (s: Session, questId: string) => call<Quest>("POST", `/api/trips/ops/quests/${encodeURIComponent(questId)}/end`, s, {}),
  /** Support's promotions, newest first. */
  opsPromotions: (s: Session) => call<{ promotions?: Promotion[] }>("GET", "/api/trips/ops/promotions", s).then((r) => r.promotions ?? []),
  /** 400 with a detail naming the field that cannot work, 409 when a promotion has the code already. */
  createPromotion: (s: Session, promotion: NewPromotion) => call<Promotion>("POST", "/api/trips/ops/promotions", s, promotion),
  /** Nobody can add it from now on (riders who added it keep it until it expires). */
  endPromotion: (s: Session, code: string) => call<Promotion>("POST", `/api/trips/ops/promotions/${encodeURIComponent(code)}/end`, s, {}),
  /**
   * Every payment session of a trip and its refunds, and the hold placed on the rider's card at booking (ADR 0027); null
   * when the trip has neither yet.
   */
  tripPayments: async (s: Session, tripId: string): Promise<TripPayments | null> => {
    try {
      const read = await call<Partial<TripPayments>>("GET", `/api/payments/trips/${tripId}/sessions`, s);
      return { tripId: read.tripId ?? tripId, sessions: read.sessions ?? [], hold: read.hold ?? null };
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },
  /**
   * Gives (part of) a trip's paid fare back; no amount: all that is left. The refundId (also the idempotency key) makes
   * a retried request resume the same refund rather than refund twice.
   */
  refund: (s: Session, tripId: string, refund: { amountMinor?: number; kind: RefundKind; reason: string; refundId: string }) =>
    call<RefundResult>("POST", `/api/payments/trips/${tripId}/refunds`, s, refund, { "idempotency-key": refund.refundId }),
};
