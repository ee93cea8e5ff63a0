package dev.apppasswords.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.KeycloakExtension;
import dev.apppasswords.it.support.TestRealm;
import dev.apppasswords.secret.AppPasswordSecret;
import dev.apppasswords.secret.SecretHash;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The admin overview on a large realm: {@code bench.users} users (10,000) with {@code bench.perUser} app
 * passwords each (5, so 50,000), imported with Keycloak's partial import; {@code bench.used} (2,000) of them
 * used once through forward-auth so the last-use table has rows. Then the overview's first page, a deep
 * page and one user's list are timed. {@code ./mvnw verify -Pbenchmark -Dbench.only=overview}; writes
 * {@code target/benchmark-overview.md}.
 */
@Tag("benchmark")
@ExtendWith(KeycloakExtension.class)
class AdminOverviewBenchmarkIT {

    @Test
    void overviewOfALargeRealm(Keycloak keycloak) throws Exception {
        String only = System.getProperty("bench.only", "");
        if (!only.isEmpty() && !"overview".contains(only)) {
            return;
        }
        int users = Integer.getInteger("bench.users", 10_000);
        int perUser = Integer.getInteger("bench.perUser", 5);
        int used = Integer.getInteger("bench.used", 2_000);
        TestRealm realm = TestRealm.create(keycloak, "overview");
        String[] usedSecrets = new String[used];

        long importStart = System.nanoTime();
        int batch = 250;
        for (int from = 0; from < users; from += batch) {
            List<Object> reps = new ArrayList<>();
            for (int u = from; u < Math.min(users, from + batch); u++) {
                List<Object> credentials = new ArrayList<>();
                for (int i = 0; i < perUser; i++) {
                    AppPasswordSecret secret = AppPasswordSecret.generate();
                    if (i == 0 && u < used) {
                        usedSecrets[u] = secret.grouped();
                    }
                    SecretHash hash = SecretHash.of(secret);
                    credentials.add(Map.of("type", "app-password", "userLabel", "Device " + i,
                            "createdDate", 1_700_000_000_000L + u * 1000L + i,
                            "secretData", "{\"salt\":\"" + hash.saltBase64() + "\",\"hash\":\"" + hash.hashBase64() + "\"}",
                            "credentialData", "{\"algorithm\":\"SHA-256\"}"));
                }
                reps.add(Map.of("username", "user" + u, "enabled", true, "email", "user" + u + "@example.org",
                        "emailVerified", true, "firstName", "U", "lastName", "" + u, "credentials", credentials));
            }
            Http.Response imported = keycloak.adminJson("POST", "/" + realm.name() + "/partialImport",
                    Map.of("ifResourceExists", "FAIL", "users", reps));
            assertEquals(200, imported.status(), imported.body());
        }
        double importSeconds = (System.nanoTime() - importStart) / 1e9;
        for (int u = 0; u < used; u++) {
            Http.Response check = keycloak.http().get(realm.url("/app-passwords/forward-auth"),
                    Map.of("Authorization", TestRealm.basic("user" + u, usedSecrets[u])));
            assertEquals(200, check.status());
        }
        String api = keycloak.baseUrl() + "/admin/realms/" + realm.name() + "/app-passwords";
        Http.Response first = keycloak.http().get(api + "?max=20", keycloak.admin());
        assertEquals(200, first.status(), first.body());
        assertEquals((long) users * perUser, first.json().get("appPasswords").asLong());

        double[] firstPage = time(keycloak, api + "?first=0&max=20", 30);
        double[] deepPage = time(keycloak, api + "?first=40000&max=100", 30);
        String someUser = keycloak.adminGet("/" + realm.name() + "/users?exact=true&username=user4242").json().get(0).get("id").asText();
        double[] oneUser = time(keycloak, api + "/users/" + someUser, 30);

        String report = String.format("""
                Realm: %,d users, %,d app passwords (%,d used), imported in %.0f s; database %s.

                | request | p50 ms | p95 ms |
                |---|---:|---:|
                | overview, first page (max=20) | %.1f | %.1f |
                | overview, page at 40,000 (max=100) | %.1f | %.1f |
                | one user's app passwords | %.1f | %.1f |
                """, users, (long) users * perUser, used, importSeconds, System.getProperty("it.db", "dev-file"),
                firstPage[0], firstPage[1], deepPage[0], deepPage[1], oneUser[0], oneUser[1]);
        System.out.println(report);
        System.out.println("overview: " + first.body().substring(0, Math.min(300, first.body().length())));
        Files.writeString(Path.of(System.getProperty("project.build.directory", "target"), "benchmark-overview.md"), report);
        realm.delete();
    }

    /** p50 and p95 in milliseconds of {@code n} sequential GETs (after two warm-up calls). */
    private static double[] time(Keycloak keycloak, String url, int n) {
        for (int i = 0; i < 2; i++) {
            keycloak.http().get(url, keycloak.admin());
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            Http.Response response = keycloak.http().get(url, keycloak.admin());
            ms[i] = (System.nanoTime() - start) / 1e6;
            assertEquals(200, response.status(), response.body());
        }
        Arrays.sort(ms);
        return new double[] {ms[n / 2], ms[(int) Math.ceil(n * 0.95) - 1]};
    }
}
