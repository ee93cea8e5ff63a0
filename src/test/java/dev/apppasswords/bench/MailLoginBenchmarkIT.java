package dev.apppasswords.bench;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.KeycloakExtension;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The mail-server set-up at scale, side by side on one server: the recommended cheapest login (client
 * {@code mail-transient}: transient sessions, no refresh token, tokens without a session id so userinfo
 * works) with 1, 10 and 40 stored app passwords and with 1, 4 and 16 connections, against Keycloak's
 * client-credentials grant (at the same connection counts) and its own password grant; the stored-session
 * default for comparison; and Dovecot's real sequence (grant, then userinfo), checked to answer 200.
 *
 * <p>{@code ./mvnw verify -Pbenchmark -Dbench.only=mail} ({@code -Dbench.seconds=10}); writes {@code target/benchmark-mail.md}.
 */
@Tag("benchmark")
@ExtendWith(KeycloakExtension.class)
class MailLoginBenchmarkIT {

    @Test
    void mailLogins(Keycloak keycloak) throws Exception {
        String only = System.getProperty("bench.only", "");
        if (!only.isEmpty() && !"mail".contains(only)) {
            return;
        }
        int seconds = Integer.getInteger("bench.seconds", 10);
        Duration warmUp = Duration.ofSeconds(3);
        Duration measure = Duration.ofSeconds(seconds);
        TestRealm realm = TestRealm.create(keycloak, "mailbench");
        assertEquals(201, keycloak.adminJson("POST", "/" + realm.name() + "/clients", Map.of(
                "clientId", "password-grant", "publicClient", true, "directAccessGrantsEnabled", true, "standardFlowEnabled", false)).status());
        String tokenUrl = realm.url("/protocol/openid-connect/token");
        mailClientWithEcdsaTokens(keycloak, realm);

        Map<Integer, String[]> transientGrant = new LinkedHashMap<>();
        String[] shared40 = new String[16];
        String[] ecdsa40 = new String[16];
        String[] passwordGrant = new String[4];
        for (int count : new int[] {1, 10, 40}) {
            int users = count == 40 ? 16 : 4;
            String[] grants = new String[users];
            for (int u = 0; u < users; u++) {
                String username = "m" + count + "-" + u;
                realm.createUser(username, "Mail-password-" + u);
                String token = realm.userToken(username, "Mail-password-" + u, null);
                String secret = null;
                for (int i = 1; i <= count; i++) {
                    secret = realm.newAppPassword(token, "Device " + i).get("password").asText();
                }
                grants[u] = form("mail-transient", username, secret);
                if (count == 40) {
                    shared40[u] = form("sync", username, secret);
                    ecdsa40[u] = form("mail-es256", username, secret);
                }
                if (count == 40 && u < 4) {
                    passwordGrant[u] = Http.encode(Http.params("grant_type", "password", "client_id", "password-grant",
                            "username", username, "password", "Mail-password-" + u));
                }
            }
            transientGrant.put(count, grants);
        }
        String clientCredentials = Http.encode(Http.params("grant_type", "client_credentials", "client_id", "scripts",
                "client_secret", "scripts-secret"));

        record Scenario(String name, int threads, java.util.function.IntFunction<HttpRequest> request) {
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (int threads : new int[] {1, 4, 16}) {
            scenarios.add(new Scenario("client-credentials grant, " + threads + " conn.", threads, t -> LoadRun.form(tokenUrl, clientCredentials)));
            scenarios.add(new Scenario("app-password grant (mail-transient), 40 app passwords, " + threads + " conn.", threads,
                    t -> LoadRun.form(tokenUrl, transientGrant.get(40)[t])));
        }
        scenarios.add(new Scenario("app-password grant (mail-transient, ES256 tokens), 40 app passwords, 4 conn.", 4,
                t -> LoadRun.form(tokenUrl, ecdsa40[t])));
        scenarios.add(new Scenario("app-password grant (mail-transient), 1 app password, 4 conn.", 4, t -> LoadRun.form(tokenUrl, transientGrant.get(1)[t])));
        scenarios.add(new Scenario("app-password grant (mail-transient), 10 app passwords, 4 conn.", 4, t -> LoadRun.form(tokenUrl, transientGrant.get(10)[t])));
        scenarios.add(new Scenario("app-password grant, stored session shared per app password (sync), 40, 4 conn.", 4, t -> LoadRun.form(tokenUrl, shared40[t])));
        scenarios.add(new Scenario("password grant (Keycloak's own, Argon2), 4 conn.", 4, t -> LoadRun.form(tokenUrl, passwordGrant[t])));

        // m40-15 logs in only through mail-transient (16 connections) and Dovecot's sequence below.
        String watchedUser = realm.userId("m40-15");
        int sessionsBefore = keycloak.adminGet("/" + realm.name() + "/users/" + watchedUser + "/sessions").json().size();
        LoadRun load = new LoadRun();
        Map<String, LoadRun.Result> results = new LinkedHashMap<>();
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (Scenario scenario : scenarios) {
            long before = keycloak.server().cpuMillis();
            LoadRun.Result result = load.run(scenario.name(), scenario.request(), 200, scenario.threads(), warmUp, measure);
            cpu.put(scenario.name(), (keycloak.server().cpuMillis() - before) / (result.perSecond() * (seconds + 3)));
            results.put(scenario.name(), result);
        }

        // Dovecot's sequence: grant, then userinfo with the token, checked end to end.
        int sequences = 200;
        long start = System.nanoTime();
        int userinfoOk = 0;
        String userinfoUrl = realm.url("/protocol/openid-connect/userinfo");
        String mailGrant = ecdsa40[15];
        for (int i = 0; i < sequences; i++) {
            Http.Response grant = keycloak.http().send("POST", tokenUrl, Map.of(), "application/x-www-form-urlencoded", mailGrant);
            Http.Response userinfo = keycloak.http().get(userinfoUrl, Http.bearer(grant.json().get("access_token").asText()));
            userinfoOk += userinfo.status() == 200 ? 1 : 0;
        }
        double sequencePerSecond = sequences / ((System.nanoTime() - start) / 1e9);
        int storedSessions = keycloak.adminGet("/" + realm.name() + "/users/" + watchedUser + "/sessions").json().size() - sessionsBefore;

        StringBuilder table = new StringBuilder(String.format(
                "Mail logins, %d s per scenario after 3 s warm-up, Keycloak 26.7.3 start-dev, %s, %d cores%n%n",
                seconds, keycloak.server().database(), Runtime.getRuntime().availableProcessors()));
        table.append("| scenario | requests/s | p50 ms | p99 ms | Keycloak CPU ms/request | failures |\n|---|---:|---:|---:|---:|---:|\n");
        results.forEach((name, r) -> table.append(String.format("| %s | %.0f | %.1f | %.1f | %.2f | %d |%n",
                name, r.perSecond(), r.p50Millis(), r.p99Millis(), cpu.get(name), r.failures())));
        double t40 = rate(results, "mail-transient), 40 app passwords, 4 conn.");
        table.append(String.format("%nmail-transient / client-credentials: %.2f (1 conn.), %.2f (4 conn.), %.2f (16 conn.)%n",
                rate(results, "(mail-transient), 40 app passwords, 1 conn.") / rate(results, "client-credentials grant, 1 conn."),
                t40 / rate(results, "client-credentials grant, 4 conn."),
                rate(results, "(mail-transient), 40 app passwords, 16 conn.") / rate(results, "client-credentials grant, 16 conn.")));
        table.append(String.format("mail-transient with ES256 tokens / client-credentials (RS256), 4 conn.: %.2f%n",
                rate(results, "ES256 tokens") / rate(results, "client-credentials grant, 4 conn.")));
        double password = rate(results, "Keycloak's own");
        table.append(String.format("mail-transient (40) / password grant: %.1fx; with ES256 tokens: %.1fx%n", t40 / password,
                rate(results, "ES256 tokens") / password));
        table.append(String.format("mail-transient 1 / 10 / 40 app passwords: %.0f / %.0f / %.0f requests/s (1 vs 40: %.2fx)%n",
                rate(results, "1 app password"), rate(results, "10 app passwords"), t40, rate(results, "1 app password") / t40));
        table.append(String.format("Dovecot's sequence (mail-es256 grant + userinfo), one connection: %.0f per second, userinfo 200 for %d of %d; "
                + "sessions stored by that user's %s logins: %d%n", sequencePerSecond, userinfoOk, sequences, "mail-transient and mail-es256", storedSessions));
        System.out.println("\n" + table);
        Files.writeString(Path.of(System.getProperty("project.build.directory", "target"), "benchmark-mail.md"), table.toString());
        realm.delete();
        assertEquals(sequences, userinfoOk, "userinfo must work for every mail-transient token");
        assertEquals(0, storedSessions, "no stored session per login");
    }

    /**
     * The mail client signing its tokens with ES256 (an ECDSA P-256 key added to the realm): a signature costs
     * a fraction of an RSA one, and a grant with scope=openid signs two tokens (access and ID) where the
     * client-credentials grant signs one. Dovecot's userinfo mode does not check signatures.
     */
    private static void mailClientWithEcdsaTokens(Keycloak keycloak, TestRealm realm) {
        String realmId = keycloak.adminGet("/" + realm.name()).json().get("id").asText();
        assertEquals(201, keycloak.adminJson("POST", "/" + realm.name() + "/components", Map.of("name", "ecdsa-generated",
                "providerId", "ecdsa-generated", "providerType", "org.keycloak.keys.KeyProvider", "parentId", realmId,
                "config", Map.of("priority", List.of("100"), "ecdsaEllipticCurveKey", List.of("P-256")))).status());
        String flow = keycloak.adminGet("/" + realm.name() + "/clients?clientId=mail-transient").json().get(0)
                .get("authenticationFlowBindingOverrides").get("direct_grant").asText();
        assertEquals(201, keycloak.adminJson("POST", "/" + realm.name() + "/clients", Map.of("clientId", "mail-es256",
                "publicClient", true, "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
                "attributes", Map.of("use.refresh.tokens", "false", "access.token.signed.response.alg", "ES256",
                        "id.token.signed.response.alg", "ES256"),
                "authenticationFlowBindingOverrides", Map.of("direct_grant", flow))).status());
    }

    private static String form(String clientId, String username, String password) {
        return Http.encode(Http.params("grant_type", "password", "client_id", clientId, "scope", "openid",
                "username", username, "password", password));
    }

    private static double rate(Map<String, LoadRun.Result> results, String part) {
        return results.entrySet().stream().filter(e -> e.getKey().contains(part)).findFirst().orElseThrow().getValue().perSecond();
    }
}
