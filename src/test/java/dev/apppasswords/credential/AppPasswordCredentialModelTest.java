package dev.apppasswords.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.apppasswords.secret.AppPasswordSecret;
import dev.apppasswords.secret.SecretHash;
import org.junit.jupiter.api.Test;
import org.keycloak.credential.CredentialModel;

/**
 * An app password as Keycloak stores it: which clients it is for (unreadable limits limit it to none), when it has
 * expired, and that its stored form keeps the salted hash, the limits and the expiry, and never the secret.
 */
class AppPasswordCredentialModelTest {

    private static final long NOW = 1_700_000_000_000L;

    /** The credential as Keycloak hands it back from the database: only the stored columns survive. */
    private static AppPasswordCredentialModel reloaded(AppPasswordCredentialModel created) {
        CredentialModel row = new CredentialModel();
        row.setId("ap-1");
        row.setType(created.getType());
        row.setUserLabel(created.getUserLabel());
        row.setCreatedDate(created.getCreatedDate());
        row.setSecretData(created.getSecretData());
        row.setCredentialData(created.getCredentialData());
        return AppPasswordCredentialModel.fromStored(row);
    }

    private static AppPasswordCredentialModel limitedTo(List<String> clients, Long expiresAt) {
        return reloaded(AppPasswordCredentialModel.create("Phone", SecretHash.of(AppPasswordSecret.generate()), NOW, clients, expiresAt));
    }

    @Test
    void givenNoClientLimitThenItIsUsableWithAnyClientAndWithoutOne() {
        AppPasswordCredentialModel any = limitedTo(null, null);

        assertTrue(any.usableFor("mail"));
        assertTrue(any.usableFor(null));
        assertTrue(limitedTo(List.of(), null).usableFor("mail"));
    }

    @Test
    void givenAClientLimitThenItIsUsableOnlyWithThoseClients() {
        AppPasswordCredentialModel mailOnly = limitedTo(List.of("mail", "calendar"), null);

        assertTrue(mailOnly.usableFor("mail"));
        assertTrue(mailOnly.usableFor("calendar"));
        assertFalse(mailOnly.usableFor("shop"));
        assertFalse(mailOnly.usableFor(null), "no client named");
        assertEquals(List.of("mail", "calendar"), mailOnly.clients());
    }

    @Test
    void givenUnreadableClientLimitsThenItIsUsableWithNoClient() {
        AppPasswordCredentialModel model = limitedTo(null, null);
        model.setCredentialData("{not json");
        AppPasswordCredentialModel broken = reloaded(model);

        assertFalse(broken.usableFor("mail"));
        assertFalse(broken.usableFor(null));
    }

    @Test
    void givenAnExpiryThenItHasExpiredFromThatMomentOn() {
        AppPasswordCredentialModel model = limitedTo(null, NOW + 1_000);

        assertFalse(model.isExpired(NOW));
        assertFalse(model.isExpired(NOW + 999));
        assertTrue(model.isExpired(NOW + 1_000));
        assertEquals(NOW + 1_000, model.expiresAt());
    }

    @Test
    void givenNoExpiryThenItNeverExpires() {
        assertFalse(limitedTo(null, null).isExpired(Long.MAX_VALUE));
        assertNull(limitedTo(null, null).expiresAt());
    }

    @Test
    void givenAStoredAppPasswordThenItsHashMatchesItsSecretAndTheStoredFormHoldsNoSecret() {
        AppPasswordSecret secret = AppPasswordSecret.generate();
        AppPasswordCredentialModel created = AppPasswordCredentialModel.create("Phone", SecretHash.of(secret), NOW);

        AppPasswordCredentialModel stored = reloaded(created);

        assertTrue(stored.secretHash().matches(secret));
        assertFalse(stored.secretHash().matches(AppPasswordSecret.generate()));
        assertFalse(created.getSecretData().contains(secret.canonical()));
        assertFalse(created.getCredentialData().contains(secret.canonical()));
        assertEquals(AppPasswordCredentialModel.TYPE, stored.getType());
        assertEquals("Phone", stored.getUserLabel());
    }

    @Test
    void givenUnreadableSecretDataThenThereIsNoHashToMatch() {
        AppPasswordCredentialModel model = limitedTo(null, null);
        model.setSecretData("{\"salt\": \"only a salt\"}");

        assertNull(reloaded(model).secretHash());
        model.setSecretData("not json");
        assertNull(reloaded(model).secretHash());
    }
}
