package dev.apppasswords.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.KeycloakExtension;
import dev.apppasswords.it.support.TestRealm;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Side-by-side throughput of the token endpoint on one server, in one run:
 * Keycloak's own password grant, the app-password grant of users holding 40 app passwords each (the
 * one that matches is the newest), the same with transient sessions, and the client-credentials grant
 * (the cheapest token Keycloak issues). One user per client thread.
 *
 * <p>{@code ./mvnw verify -Pbenchmark} (options: {@code -Dbench.seconds=20 -Dbench.threads=4 -Dbench.only=<part of a scenario name>}).
 * Prints a table and writes it to {@code target/benchmark.md}.
 */
@Tag("benchmark")
@ExtendWith(KeycloakExtension.class)
class TokenEndpointBenchmarkIT {

    @Test
    void tokenEndpoint(Keycloak keycloak) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 20);
        int threads = Integer.getInteger("bench.threads", 4);
        Duration warmUp = Duration.ofSeconds(Math.max(3, seconds / 4));
        Duration measure = Duration.ofSeconds(seconds);

        TestRealm realm = TestRealm.create(keycloak, "bench");
        assertEquals(201, keycloak.adminJson("POST", "/" + realm.name() + "/clients", Map.of(
                "clientId", "password-grant", "publicClient", true, "directAccessGrantsEnabled", true,
                "standardFlowEnabled", false)).status());
        String tokenUrl = realm.url("/protocol/openid-connect/token");
        String[] passwordGrant = new String[threads];
        String[] appPasswordGrant = new String[threads];
        String[] appPasswordTransient = new String[threads];
        for (int t = 0; t < threads; t++) {
            String username = "bench" + t;
            String password = "Bench-password-" + t;
            realm.createUser(username, password);
            String token = realm.userToken(username, password, null);
            String appPassword = null;
            for (int i = 1; i <= 40; i++) {
                appPassword = realm.newAppPassword(token, "Device " + i).get("password").asText();
            }
            passwordGrant[t] = Http.encode(Http.params("grant_type", "password", "client_id", "password-grant",
                    "username", username, "password", password));
            appPasswordGrant[t] = Http.encode(Http.params("grant_type", "password", "client_id", "sync",
                    "username", username, "password", appPassword));
            appPasswordTransient[t] = Http.encode(Http.params("grant_type", "password", "client_id", "sync-transient",
                    "username", username, "password", appPassword));
        }
        String clientCredentials = Http.encode(Http.params("grant_type", "client_credentials", "client_id", "scripts",
                "client_secret", "scripts-secret"));
        String[] clientCredentialsGrant = new String[threads];
        java.util.Arrays.fill(clientCredentialsGrant, clientCredentials);

        LoadRun load = new LoadRun();
        List<LoadRun.Result> results = new ArrayList<>();
        List<Long> memory = new ArrayList<>();
        Object[][] scenarios = {
                {"password grant (Keycloak's own, Argon2)", passwordGrant},
                {"app-password grant, 40 app passwords", appPasswordGrant},
                {"app-password grant, transient sessions", appPasswordTransient},
                {"client-credentials grant", clientCredentialsGrant},
        };
        String only = System.getProperty("bench.only", "");
        for (Object[] scenario : scenarios) {
            if (!((String) scenario[0]).contains(only)) {
                continue;
            }
            String[] bodies = (String[]) scenario[1];
            IntFunction<HttpRequest> request = thread -> LoadRun.form(tokenUrl, bodies[thread]);
            results.add(load.run((String) scenario[0], request, 200, threads, warmUp, measure));
            memory.add(keycloak.server().residentMemoryMiB());
        }

        StringBuilder table = new StringBuilder();
        table.append(String.format("Token endpoint, %d client threads, %d s per scenario, Keycloak 26.7.3 start-dev, %s, %d cores%n%n",
                threads, seconds, keycloak.server().database(), Runtime.getRuntime().availableProcessors()));
        table.append("| scenario | requests/s | p50 ms | p99 ms | requests | failures | Keycloak RSS after, MiB |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < results.size(); i++) {
            LoadRun.Result r = results.get(i);
            table.append(String.format("| %s | %.0f | %.1f | %.1f | %d | %d | %d |%n",
                    r.name(), r.perSecond(), r.p50Millis(), r.p99Millis(), r.requests(), r.failures(), memory.get(i)));
        }
        if (results.size() < scenarios.length) {
            realm.delete();
            return; // a partial run (-Dbench.only=...), e.g. under a profiler: no ratios
        }
        double passwordRate = results.get(0).perSecond();
        double app = results.get(1).perSecond();
        double appTransient = results.get(2).perSecond();
        double cc = results.get(3).perSecond();
        table.append(String.format("%napp-password / client-credentials: %.2f%n", app / cc));
        table.append(String.format("app-password (transient) / client-credentials: %.2f%n", appTransient / cc));
        table.append(String.format("app-password / password grant: %.1fx%n", app / passwordRate));
        System.out.println("\n" + table);
        write(table.toString());
        realm.delete();
        for (LoadRun.Result r : results) {
            assertEquals(0, r.failures(), r.name() + " had failed requests");
        }
    }

    private static void write(String table) throws IOException {
        Path out = Path.of(System.getProperty("project.build.directory", "target"), "benchmark.md");
        Files.writeString(out, table);
    }
}
