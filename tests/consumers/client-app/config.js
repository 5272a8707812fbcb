// Your Genesys Cloud region and OAuth client ("Code Authorization with PKCE", redirect URI = this page).
export const clientId = "00000000-0000-0000-0000-000000000000";
export const loginUrl = "https://login.mypurecloud.ie";
export const apiBaseUrl = "https://api.mypurecloud.ie";
