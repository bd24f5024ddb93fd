package io.hallmark.server.console;

/**
 * What every page's layout needs: its title, who is signed in (null on the login page), the session's CSRF token and
 * whether the role may revoke (the revoke buttons are left out for roles that may not; the server checks anyway).
 */
public record Page(String title, String user, String role, String csrf, boolean mayRevoke) {
}
