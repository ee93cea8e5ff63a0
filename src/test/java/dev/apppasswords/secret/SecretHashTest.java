package dev.apppasswords.secret;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretHashTest {

    @Test
    void matchesOnlyTheSecretItWasMadeFrom() {
        AppPasswordSecret secret = AppPasswordSecret.generate();
        SecretHash hash = SecretHash.of(secret);
        assertTrue(hash.matches(secret));
        assertTrue(hash.matches(AppPasswordSecret.parse(secret.grouped().toUpperCase())));
        assertFalse(hash.matches(AppPasswordSecret.generate()));
    }

    @Test
    void survivesEncodingRoundTrip() {
        AppPasswordSecret secret = AppPasswordSecret.generate();
        SecretHash hash = SecretHash.of(secret);
        SecretHash decoded = SecretHash.decode(hash.saltBase64(), hash.hashBase64());
        assertTrue(decoded.matches(secret));
        assertEquals(32, java.util.Base64.getDecoder().decode(hash.hashBase64()).length);
    }

    @Test
    void saltMakesEqualSecretsHashDifferently() {
        AppPasswordSecret secret = AppPasswordSecret.generate();
        SecretHash first = SecretHash.of(secret);
        SecretHash second = SecretHash.of(secret);
        assertNotEquals(first.saltBase64(), second.saltBase64());
        assertNotEquals(first.hashBase64(), second.hashBase64());
    }

    @Test
    void storedFormDoesNotContainTheSecret() {
        AppPasswordSecret secret = AppPasswordSecret.generate();
        SecretHash hash = SecretHash.of(secret);
        assertFalse(hash.hashBase64().contains(secret.canonical()));
        assertFalse(hash.saltBase64().contains(secret.canonical()));
    }
}
