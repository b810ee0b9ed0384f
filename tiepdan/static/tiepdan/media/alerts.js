/* What the chair and the operator read of the server's alerts and of the floor's time budget.
 * The server decides when to alert and with which limits (media/rules.py); the page only says
 * it, with the limits the page was given.
 */
import { fill, gettext } from "./i18n.js";

/** The text of an alert about one point (its name comes first on the page). */
export function alertReason(alert, limits) {
  switch (alert.reason) {
    case "video_stopped":
      return fill(gettext("mất hình quá %(seconds)s giây"), { seconds: limits.video_freeze_seconds });
    case "poor_network":
      return fill(gettext("đường truyền kém (mất gói %(loss)s, trễ %(rtt)s ms)"),
        { loss: `${alert.loss_pct ?? "?"}%`, rtt: alert.rtt_ms ?? "?" });
    case "network_recovered":
      return gettext("đường truyền đã ổn định lại");
    case "recording_stopped":
      return gettext("ghi hình bị gián đoạn");
    default:
      return alert.reason;
  }
}

/** Whether the alert asks for attention (a recovery does not). */
export function isWarning(alert) {
  return alert.reason !== "network_recovered";
}

/** The seconds left of the floor as m:ss, from when it ends (``endsAt``, the page's clock). */
export function timeLeft(endsAt, now) {
  if (endsAt === null) return null;
  const left = Math.max(0, Math.round((endsAt - now) / 1000));
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
}
