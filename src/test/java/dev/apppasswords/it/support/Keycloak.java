package dev.apppasswords.it.support;

import java.util.Map;

/** What a test sees of the running Keycloak: its URL, an HTTP client and admin access to the master realm. */
public final class Keycloak {

    private final KeycloakServer server;
    private final Http http = new Http();
    private String adminToken;
    private long adminTokenExpiresAt;

    /** The shared server's handle comes from {@link KeycloakExtension}; a test's own server gets one here. */
    public Keycloak(KeycloakServer server) {
        this.server = server;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public Http http() {
        return http;
    }

    public KeycloakServer server() {
        return server;
    }

    /** Headers with a valid master-realm admin token (renewed before it expires). */
    public synchronized Map<String, String> admin() {
        if (adminToken == null || System.currentTimeMillis() > adminTokenExpiresAt) {
            Http.Response response = http.form(baseUrl() + "/realms/master/protocol/openid-connect/token", Map.of(),
                    Http.params("grant_type", "password", "client_id", "admin-cli",
                            "username", KeycloakServer.ADMIN_USER, "password", KeycloakServer.ADMIN_PASSWORD));
            if (response.status() != 200) {
                throw new IllegalStateException("admin login failed: " + response);
            }
            adminToken = response.json().get("access_token").asText();
            adminTokenExpiresAt = System.currentTimeMillis() + (response.json().get("expires_in").asLong() - 15) * 1000;
        }
        return Http.bearer(adminToken);
    }

    /** Drops the cached admin token: after the server started on an emptied database, it is signed by an old key. */
    public synchronized void forgetAdminToken() {
        adminToken = null;
    }

    public Http.Response adminGet(String path) {
        return http.get(baseUrl() + "/admin/realms" + path, admin());
    }

    public Http.Response adminJson(String method, String path, Object body) {
        return http.json(method, baseUrl() + "/admin/realms" + path, admin(), body);
    }

    public Http.Response adminDelete(String path) {
        return http.send("DELETE", baseUrl() + "/admin/realms" + path, admin(), null, null);
    }
}
