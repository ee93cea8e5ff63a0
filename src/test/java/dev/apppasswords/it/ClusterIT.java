package dev.apppasswords.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.KeycloakServer;
import dev.apppasswords.it.support.TestRealm;
import dev.apppasswords.it.support.Timings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Two Keycloak nodes in one cluster, as production runs them: each its own copy of the distribution, built
 * with Keycloak's production cache ({@code --cache=ispn}) and its own HTTP and JGroups ports, both on the same
 * PostgreSQL (or MariaDB) database, where JGroups' {@code jdbc-ping} lets them find each other. A load
 * balancer would send a device's logins to either node; the tests do that by hand.
 *
 * <p>Runs in the {@code -Ppostgres} and {@code -Pmariadb} runs; skipped on the dev-file database, which one
 * process holds. Figures (deletion bound, sessions after alternating logins) are printed to the test output
 * and quoted in the README.
 */
class ClusterIT {

    private static final String DATABASE = "apppasswords_cluster";
    private static final Timings TIMINGS = new Timings("cluster");

    private static KeycloakServer nodeA;
    private static KeycloakServer nodeB;
    private static TestRealm onA;
    private static TestRealm onB;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        assumeFalse(System.getProperty("it.db", "dev-file").startsWith("dev-"),
                "two nodes need a shared database: run with -Ppostgres or -Pmariadb (.ci/run does)");
        nodeA = KeycloakServer.clusterNode("node-a", DATABASE);
        nodeB = KeycloakServer.clusterNode("node-b", DATABASE);
        nodeA.startFresh();
        TIMINGS.lap("node A (copy, kc.sh build --cache=ispn, start)");
        nodeB.startJoining();
        TIMINGS.lap("node B");
        awaitClusterOfTwo();
        TIMINGS.lap("cluster view with both nodes");
        onA = TestRealm.create(new Keycloak(nodeA), "cluster");
        onB = onA.on(new Keycloak(nodeB));
    }

    @AfterAll
    static void stopNodes() {
        if (nodeB != null) {
            nodeB.stop();
        }
        if (nodeA != null) {
            nodeA.stop();
        }
        TIMINGS.printSummary();
    }

    /** Infinispan logs each new cluster view, e.g. {@code ISPN000094: Received new cluster view for channel ISPN: [a|1] (2) [a, b]}. */
    private static void awaitClusterOfTwo() throws Exception {
        for (int i = 0; i < 120; i++) {
            if (nodeA.logMatches("ISPN000094.* \\(2\\) ") && nodeB.logMatches("ISPN000094.* \\(2\\) ")) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the two nodes did not form a cluster within 60 s; see target/keycloak-node-a.log and -node-b.log");
    }

    @Test
    void anAppPasswordCreatedOnOneNodeWorksOnTheOtherAndItsDeletionReachesItAtOnce() {
        onA.createUser("dana", "Dana-password-1");
        String token = onA.userToken("dana", "Dana-password-1", null);
        List<Long> bounds = new ArrayList<>();
        for (int round = 1; round <= 5; round++) {
            JsonNode created = onA.newAppPassword(token, "Phone " + round);
            String secret = created.get("password").asText();
            // Node B answers before and caches the user and their credentials, so the deletion must reach its cache.
            assertEquals(200, onB.grant("mail", "dana", secret, null).status(), "created on A, used on B");
            Http.Response stored = onB.grant("sync", "dana", secret, null);
            assertEquals(200, stored.status());

            assertEquals(204, onA.deleteAppPassword(token, created.get("id").asText()).status());
            long deleted = System.nanoTime();
            Http.Response after = onB.grant("mail", "dana", secret, null);
            while (after.status() == 200 && System.nanoTime() - deleted < 10_000_000_000L) {
                TestRealm.sleep(20);
                after = onB.grant("mail", "dana", secret, null);
            }
            long boundMillis = (System.nanoTime() - deleted) / 1_000_000;
            bounds.add(boundMillis);
            assertEquals(400, after.status(), "deleted on A, refused on B: " + after);
            assertEquals(400, onB.refresh("sync", stored).status(), "B's refresh token of the deleted app password");
        }
        System.out.println("[cluster] deleted on node A -> first refusal on node B, 5 rounds, ms: " + bounds);
        assertTrue(bounds.stream().allMatch(ms -> ms < 2_000), "refused on B within 2 s: " + bounds);
    }

    @Test
    void thePerUserLimitHoldsWhenCreationsRaceAcrossBothNodes() throws Exception {
        assertEquals(204, onA.configureAppPasswordAction(Map.of("max_app_passwords", "5")).status());
        try {
            onA.createUser("erin", "Erin-password-1");
            // A token is the node's own: each node names itself as issuer (no shared --hostname here).
            String tokenA = signIn(onA, "erin", "Erin-password-1");
            String tokenB = signIn(onB, "erin", "Erin-password-1");
            assertEquals(201, onB.createAppPassword(tokenB, Map.of("name", "Laptop")).status());
            // 12 requests, half at each node, race for the last 4 places.
            ExecutorService pool = Executors.newFixedThreadPool(12);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                TestRealm node = i % 2 == 0 ? onA : onB;
                String token = i % 2 == 0 ? tokenA : tokenB;
                String name = "Racer " + i;
                results.add(pool.submit((Callable<Integer>) () -> {
                    start.await();
                    return node.createAppPassword(token, Map.of("name", name)).status();
                }));
            }
            start.countDown();
            int created = 0;
            int refused = 0;
            for (Future<Integer> result : results) {
                int status = result.get();
                created += status == 201 ? 1 : 0;
                refused += status == 409 ? 1 : 0;
            }
            pool.shutdown();
            assertEquals(4, created, "created");
            assertEquals(8, refused, "refused with 409");
            assertEquals(5, onA.listAppPasswords(tokenA).json().size());
            assertEquals(5, onB.listAppPasswords(tokenB).json().size());
        } finally {
            onA.configureAppPasswordAction(Map.of());
        }
    }

    @Test
    void aLockoutOnOneNodeHoldsOnTheOther() {
        String userId = onA.createUser("frank", "Frank-password-1");
        String secret = onA.newAppPasswordOf("frank", "Frank-password-1", "Phone");
        assertEquals(200, onB.grant("mail", "frank", secret, null).status(), "works on B before the lockout");
        for (int failures = 1; failures <= 10; failures++) {
            onA.failCounted("mail", "frank", "Wrong-password-" + failures, userId, failures);
        }
        assertTrue(onA.awaitLocked(userId).get("disabled").asBoolean(), "locked, seen on A");
        JsonNode onBStatus = onB.bruteForceStatus(userId);
        assertTrue(onBStatus.get("disabled").asBoolean(), "locked, seen on B: " + onBStatus);
        Http.Response refused = onB.grant("mail", "frank", secret, null);
        assertEquals(400, refused.status(), "the app password is refused on B while the user is locked: " + refused);
        assertTrue(refused.body().contains("invalid_grant"), refused.body());
    }

    @Test
    void loginsAlternatingBetweenNodesShareOneSessionAndTheLastUseIsRecorded() {
        String userId = onA.createUser("gina", "Gina-password-1");
        String secret = onA.newAppPasswordOf("gina", "Gina-password-1", "Phone");
        long before = System.currentTimeMillis();
        for (int i = 0; i < 100; i++) {
            TestRealm node = i % 2 == 0 ? onA : onB;
            Http.Response grant = node.grant("sync", "gina", secret, null);
            assertEquals(200, grant.status(), "login " + i + ": " + grant);
        }
        int onlineA = sessionsOf(onA, userId, "sync");
        int onlineB = sessionsOf(onB, userId, "sync");
        System.out.println("[cluster] user sessions after 100 logins alternating between two nodes: " + onlineA
                + " (as node A lists them), " + onlineB + " (node B)");
        assertEquals(1, onlineA, "one session for the app password, whichever node the logins reach");
        assertEquals(1, onlineB);

        // Last use: the newest login wins, whichever node saw it. Node A records a use at once (first use
        // of this app password there), node B its next one, with another client.
        String fresh = onA.newAppPasswordOf("gina", "Gina-password-1", "Tablet");
        assertEquals(200, onA.grant("mail", "gina", fresh, null).status());
        JsonNode first = awaitLastUse(onB, userId, "Tablet", "mail");
        assertTrue(first.get("lastUsedAt").asLong() >= before, first.toString());
        TestRealm.sleep(50);
        long secondLogin = System.currentTimeMillis();
        assertEquals(200, onB.grant("sync", "gina", fresh, null).status());
        JsonNode second = awaitLastUse(onA, userId, "Tablet", "sync");
        assertTrue(second.get("lastUsedAt").asLong() >= secondLogin - 1_000, second.toString());
        assertNotEquals(first.get("lastUsedAt").asLong(), second.get("lastUsedAt").asLong());
        JsonNode phone = awaitLastUse(onA, userId, "Phone", "sync");
        assertFalse(phone.get("lastUsedAt").isNull(), phone.toString());
    }

    /** The user's sessions, as this node's admin API lists them, that the client signed in (not the password login that created the app password). */
    private static int sessionsOf(TestRealm node, String userId, String clientId) {
        int count = 0;
        for (JsonNode session : node.keycloak().adminGet("/" + node.name() + "/users/" + userId + "/sessions").json()) {
            for (JsonNode client : session.path("clients")) {
                count += clientId.equals(client.asText()) ? 1 : 0;
            }
        }
        return count;
    }

    /**
     * A password login's access token from this node. Retried for up to 5 s: Keycloak refuses a login that
     * overlaps the bookkeeping of the same user's previous one (user_temporarily_disabled).
     */
    private static String signIn(TestRealm node, String username, String password) {
        Http.Response response = node.grant("mail", username, password, null);
        for (int i = 0; i < 20 && response.status() == 400; i++) {
            TestRealm.sleep(250);
            response = node.grant("mail", username, password, null);
        }
        assertEquals(200, response.status(), "login of " + username + ": " + response);
        return response.json().get("access_token").asText();
    }

    /** The admin API's row of the user's app password {@code name} once its last client is {@code clientId} (up to 10 s). */
    private static JsonNode awaitLastUse(TestRealm node, String userId, String name, String clientId) {
        JsonNode row = null;
        for (int i = 0; i < 40; i++) {
            for (JsonNode candidate : node.keycloak().adminGet("/" + node.name() + "/app-passwords/users/" + userId).json()) {
                if (name.equals(candidate.get("name").asText())) {
                    row = candidate;
                }
            }
            if (row != null && clientId.equals(row.path("lastUsedClientId").asText())) {
                return row;
            }
            TestRealm.sleep(250);
        }
        throw new AssertionError("no last use by " + clientId + " recorded for " + name + ": " + row);
    }
}
