/**
 * Text patterns shared by the server, the forms and the route matchers. No
 * imports: the route matchers ship to every page, so this must stay tiny.
 */

/** A uuid as text, the shape of every id (route params, hidden fields, links pasted by people). */
export const UUID_SOURCE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const UUID = new RegExp(`^${UUID_SOURCE}$`, 'i');

/** A mainland mobile number. */
export const PHONE = /^1[3-9]\d{9}$/;
