package dev.apppasswords.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Salted SHA-256 of an app password's canonical form, compared in constant time.
 *
 * <p>A fast hash is deliberate: the secret has 112+ bits from a CSPRNG, so a slow hash adds no
 * protection against guessing, while Keycloak's Argon2 would cost tens of milliseconds per stored app
 * password on every login of a user with many of them.
 */
public final class SecretHash {

    public static final String ALGORITHM = "SHA-256";
    private static final int SALT_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] salt;
    private final byte[] hash;

    public SecretHash(byte[] salt, byte[] hash) {
        this.salt = salt.clone();
        this.hash = hash.clone();
    }

    public static SecretHash of(AppPasswordSecret secret) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new SecretHash(salt, digest(salt, secret));
    }

    public static SecretHash decode(String saltBase64, String hashBase64) {
        Base64.Decoder decoder = Base64.getDecoder();
        return new SecretHash(decoder.decode(saltBase64), decoder.decode(hashBase64));
    }

    public boolean matches(AppPasswordSecret candidate) {
        return MessageDigest.isEqual(hash, digest(salt, candidate));
    }

    public String saltBase64() {
        return Base64.getEncoder().encodeToString(salt);
    }

    public String hashBase64() {
        return Base64.getEncoder().encodeToString(hash);
    }

    private static byte[] digest(byte[] salt, AppPasswordSecret secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance(ALGORITHM);
            digest.update(salt);
            return digest.digest(secret.canonical().getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
