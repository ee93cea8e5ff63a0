package dev.apppasswords.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mail client opening several IMAP connections at once makes several grants for one user at once.
 * Keycloak's username step refuses a login while another of the same user is in flight; with the
 * app-password step first in its flow (it then finds the user itself) all of them get through, while the
 * account password keeps Keycloak's own steps.
 */
class ParallelLoginsIT extends RealmIT {

    private static final int THREADS = 8;
    private static final int ROUNDS = 4;

    @Override
    protected String realmPrefix() {
        return "parallel";
    }

    @Test
    void parallelAppPasswordLoginsAllSucceedWhenTheAppPasswordStepComesFirst() throws Exception {
        realm.createUser("pat", "Pat-password-1");
        String password = realm.newAppPasswordOf("pat", "Pat-password-1", "Thunderbird");
        for (String client : new String[] {"mail-parallel", "sync-parallel"}) {
            int[] outcome = parallelGrants(client, "pat", password);
            assertEquals(THREADS * ROUNDS, outcome[0], client + ": " + outcome[1] + " of " + THREADS * ROUNDS + " refused");
        }
        int[] classic = parallelGrants("mail", "pat", password);
        System.out.printf("[parallel] username step first (client mail): %d of %d parallel grants refused by Keycloak%n",
                classic[1], THREADS * ROUNDS);
    }

    @Test
    void appPasswordFirstFlowKeepsTheAccountPasswordBehindOtp() {
        String password = realm.newAppPassword(realm.userToken(), "Phone").get("password").asText();
        assertEquals(200, realm.grant("mail-parallel", password).status());
        Http.Response noOtp = realm.grant("mail-parallel", realm.password());
        assertEquals(400, noOtp.status());
        assertEquals("invalid_grant", noOtp.json().get("error").asText());
        assertEquals(200, realm.grantWithOtpAfterAFailure("mail-parallel").status());
        assertEquals(400, realm.grant("mail-parallel", "nobody", password, null).status());
        assertEquals(400, realm.grant("sync-parallel", realm.password()).status(), "app password alone refuses the account password");
        assertEquals(400, realm.grant("sync-parallel", "nobody", password, null).status());
        Http.Response missing = realm.keycloak().http().form(realm.url("/protocol/openid-connect/token"), java.util.Map.of(),
                Http.params("grant_type", "password", "client_id", "sync-parallel", "password", password));
        assertEquals(401, missing.status());
        assertEquals("invalid_request", missing.json().get("error").asText());
    }

    @Test
    void appPasswordAloneRefusesAUserLockedByWrongAccountPasswords() {
        String userId = realm.createUser("quinn", "Quinn-password-1");
        String password = realm.newAppPasswordOf("quinn", "Quinn-password-1", "Laptop");
        assertEquals(400, realm.grant("sync-parallel", "quinn", "wrong-password", null).status(), "app passwords only: refused, not counted");
        for (int i = 0; i < 10; i++) {
            realm.failCounted("mail-parallel", "quinn", "wrong-" + i, userId, i + 1);
        }
        JsonNode status = realm.awaitLocked(userId);
        assertTrue(status.get("disabled").asBoolean(), status.toString());
        assertEquals(400, realm.grant("sync-parallel", "quinn", password, null).status(), "locked: the right app password fails too");
        assertEquals(400, realm.grant("mail-parallel", "quinn", password, null).status());
    }

    /** THREADS grants at once, ROUNDS times; returns {succeeded, refused}. */
    private int[] parallelGrants(String client, String username, String password) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        int ok = 0;
        int refused = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    results.add(pool.submit((Callable<Integer>) () -> {
                        start.await();
                        return realm.grant(client, username, password, null).status();
                    }));
                }
                start.countDown();
                for (Future<Integer> result : results) {
                    if (result.get() == 200) {
                        ok++;
                    } else {
                        refused++;
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
        return new int[] {ok, refused};
    }
}
