package dev.apppasswords.service;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which clients' tokens may create app passwords over REST (finding 2 of "safe on the open internet"). */
class CreationClientsTest {

    private static AppPasswordPolicy naming(String... clients) {
        return new AppPasswordPolicy(true, 40, true, false, 300, true, null, 30, 30,
                new Eligibility(List.of(), null, false), List.of(clients));
    }

    @Test
    void givenNoClientsNamedThenOnlyTheAccountConsoleMayCreate() {
        AppPasswordPolicy policy = naming();
        assertNull(policy.creationRefusal("account-console"));
        String refusal = policy.creationRefusal("shop");
        assertNotNull(refusal);
        assertTrue(refusal.contains("\"shop\"") && refusal.contains("creation_clients"), refusal);
    }

    @Test
    void givenAClientNamedThenItMayCreateAndOthersStillMayNot() {
        AppPasswordPolicy policy = naming("my-tools");
        assertNull(policy.creationRefusal("my-tools"));
        assertNotNull(policy.creationRefusal("mail"));
    }

    @Test
    void givenATokenWithoutAClientThenCreationIsRefused() {
        assertNotNull(naming("my-tools").creationRefusal(null));
    }
}
