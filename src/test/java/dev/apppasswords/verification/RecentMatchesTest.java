package dev.apppasswords.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.apppasswords.secret.AppPasswordSecret;
import org.junit.jupiter.api.Test;
import org.keycloak.models.UserModel;

/**
 * The node's memory of which app password a secret matched last: keyed by user and secret (whatever way the secret
 * was typed), never holding the secret itself, and bounded.
 */
class RecentMatchesTest {

    private static UserModel user(String id) {
        UserModel user = mock(UserModel.class);
        when(user.getId()).thenReturn(id);
        return user;
    }

    @Test
    void givenTheSameSecretTypedDifferentlyThenTheKeyIsTheSame() {
        AppPasswordSecret secret = AppPasswordSecret.generate();
        UserModel alice = user("alice-id");

        assertEquals(RecentMatches.key(alice, secret),
                RecentMatches.key(alice, AppPasswordSecret.parse(secret.grouped().toUpperCase())));
    }

    @Test
    void givenTheSameSecretForTwoUsersOrTwoSecretsForOneUserThenTheKeysDiffer() {
        AppPasswordSecret secret = AppPasswordSecret.generate();

        assertNotEquals(RecentMatches.key(user("alice-id"), secret), RecentMatches.key(user("bob-id"), secret));
        assertNotEquals(RecentMatches.key(user("alice-id"), secret), RecentMatches.key(user("alice-id"), AppPasswordSecret.generate()));
    }

    @Test
    void givenAKeyThenItDoesNotContainTheSecret() {
        AppPasswordSecret secret = AppPasswordSecret.generate();

        String key = RecentMatches.key(user("alice-id"), secret);

        assertFalse(key.toLowerCase().contains(secret.canonical().substring(0, 8)), key);
    }

    @Test
    void givenARememberedMatchThenItIsFoundUntilForgotten() {
        RecentMatches matches = new RecentMatches();
        matches.remember("k", "ap-1");
        assertEquals("ap-1", matches.credentialId("k"));

        matches.forget("k");

        assertNull(matches.credentialId("k"));
    }

    @Test
    void givenTheMemoryFullThenItStartsOverInsteadOfGrowing() {
        RecentMatches matches = new RecentMatches();
        for (int i = 0; i < RecentMatches.MAX_REMEMBERED; i++) {
            matches.remember("k" + i, "ap-" + i);
        }

        matches.remember("newcomer", "ap-new");

        assertNull(matches.credentialId("k0"));
        assertEquals("ap-new", matches.credentialId("newcomer"));
    }
}
