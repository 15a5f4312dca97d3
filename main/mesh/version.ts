/** The product version, shown in the dashboard and `meshdesk --version`. Kept in step with package.json. */
export const MESHDESK_VERSION = '0.1.0';
