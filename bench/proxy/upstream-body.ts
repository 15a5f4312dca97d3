/** The body every upstream answers with: small, fixed, and recognisable so a misrouted row is caught. */
export const UPSTREAM_BODY = 'hello from the meshdesk bench upstream\n';
export const UPSTREAM_MARKER = 'meshdesk bench upstream';
