package dev.apppasswords.it;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Revocation that holds: however an app password is removed, what it signed in ends — online and
 * offline sessions, including those that grants still in flight created while it was being removed.
 * (This extension's REST API and the admin API are covered in SessionsIT, the account console in
 * AccountConsoleBrowserIT.)
 */
class RevocationIT extends RealmIT {

    private static final int THREADS = 4;

    @Override
    protected String realmPrefix() {
        return "revocation";
    }

    /** Keycloak's own account REST API reports the removal with a different detail name than everything else. */
    @Test
    void removingThroughKeycloaksAccountApiEndsOnlineAndOfflineSessions() {
        realm.createUser("olga", "Olga-password-1");
        String token = realm.userToken("olga", "Olga-password-1", null);
        JsonNode created = realm.newAppPassword(token, "Old phone");
        String secret = created.get("password").asText();
        Http.Response online = realm.grant("sync", "olga", secret, null);
        Http.Response offline = realm.offlineGrant("sync", "olga", secret);
        assertEquals(200, realm.refresh("sync", online).status());
        assertEquals(200, realm.refresh("sync", offline).status());

        Http.Response removed = keycloak.http().send("DELETE", realm.url("/account/credentials/" + created.get("id").asText()),
                java.util.Map.of("Authorization", "Bearer " + token, "Accept", "application/json"), null, null);
        assertEquals(204, removed.status(), removed.body());

        assertEquals(400, realm.grant("sync", "olga", secret, null).status());
        assertEquals(400, realm.refresh("sync", online).status(), "its refresh token is dead");
        assertEquals(400, realm.refresh("sync", offline).status(), "its offline token is dead");
        assertEquals(401, realm.userinfo(online.json().get("access_token").asText()).status(), "its session is gone");
    }

    /**
     * Attack: keep logging in with a stolen app password, asking for offline tokens, while its owner
     * deletes it. Grants that checked the app password before the deletion committed still answer, but
     * none of their refresh tokens works afterwards and their sessions are removed.
     */
    @Test
    void grantsInFlightDoNotOutliveTheDeletion() throws Exception {
        String userId = realm.createUser("pete", "Pete-password-1");
        String token = realm.userToken("pete", "Pete-password-1", null);
        JsonNode created = realm.newAppPassword(token, "Stolen");
        String secret = created.get("password").asText();

        Queue<Http.Response> issued = new ConcurrentLinkedQueue<>();
        AtomicBoolean deleting = new AtomicBoolean();
        Queue<Http.Response> issuedWhileDeleting = new ConcurrentLinkedQueue<>();
        CountDownLatch warmedUp = new CountDownLatch(THREADS * 2);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        for (int t = 0; t < THREADS; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    boolean afterDeleteStarted = deleting.get();
                    Http.Response grant = realm.offlineGrant("mail-parallel", "pete", secret);
                    warmedUp.countDown();
                    if (grant.status() != 200) {
                        if (afterDeleteStarted) {
                            return;
                        }
                        continue;
                    }
                    issued.add(grant);
                    if (afterDeleteStarted) {
                        issuedWhileDeleting.add(grant);
                    }
                }
            });
        }
        assertTrue(warmedUp.await(120, TimeUnit.SECONDS), "grants are running");
        deleting.set(true);
        assertEquals(204, realm.deleteAppPassword(token, created.get("id").asText()).status());
        pool.shutdown();
        assertTrue(pool.awaitTermination(120, TimeUnit.SECONDS));

        long usable = issued.stream().filter(grant -> realm.refresh("mail-parallel", grant).status() == 200).count();
        assertEquals(0, usable, "refresh tokens still usable after the deletion");
        int left = awaitOfflineSessions(userId, "mail-parallel");
        assertEquals(0, left, "offline sessions left");
        System.out.printf("[revocation] %d offline grants by %d threads, %d answered while the deletion ran; "
                + "usable refresh tokens afterwards: %d; offline sessions left: %d%n",
                issued.size(), THREADS, issuedWhileDeleting.size(), usable, left);
    }

    /** Polls (up to 20 s, for the removal's later sweeps) until the user has no offline session at the client. */
    private int awaitOfflineSessions(String userId, String clientId) {
        String clientUuid = keycloak.adminGet("/" + realm.name() + "/clients?clientId=" + clientId).json().get(0).get("id").asText();
        String path = "/" + realm.name() + "/users/" + userId + "/offline-sessions/" + clientUuid;
        int left = keycloak.adminGet(path).json().size();
        for (int i = 0; i < 80 && left > 0; i++) {
            TestRealm.sleep(250);
            left = keycloak.adminGet(path).json().size();
        }
        return left;
    }
}
