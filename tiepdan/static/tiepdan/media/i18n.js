/* The words of the room and readiness pages: Django's JavaScript catalogue (/i18n/js/, a
 * classic script every page loads before its modules) defines gettext and interpolate in the
 * page; without it (node's tests) the Vietnamese source is shown.
 */

/** The translation of ``text`` in the page's language. */
export function gettext(text) {
  return typeof globalThis.gettext === "function" ? globalThis.gettext(text) : text;
}

/** ``format`` with its %(name)s placeholders filled from ``values``. */
export function fill(format, values) {
  if (typeof globalThis.interpolate === "function") return globalThis.interpolate(format, values, true);
  return format.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
}
