package dev.apppasswords.verification;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.apppasswords.secret.AppPasswordSecret;
import org.keycloak.models.UserModel;

/**
 * Which of a user's app passwords a secret matched last time, so that a device logging in again costs
 * one lookup and one salted hash, whatever the number of app passwords the user holds (a mail client
 * logs in for every connection; without this each login parses and hashes against all 40).
 *
 * <p>Node-local memory only, never stored: the key is a SHA-256 of the user id and the secret, which
 * reveals nothing of a 112-bit random secret. It only points: the stored credential is still fetched and
 * its salted hash checked, so a removed or changed app password is never accepted from here. One instance per
 * node, owned by the extension's factory.
 */
public final class RecentMatches {

    static final int MAX_REMEMBERED = 100_000;
    private final Map<String, String> credentialByKey = new ConcurrentHashMap<>();

    static String key(UserModel user, AppPasswordSecret secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(user.getId().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            return Base64.getEncoder().encodeToString(digest.digest(secret.canonical().getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The credential id this secret matched before, or null. */
    String credentialId(String key) {
        return credentialByKey.get(key);
    }

    void remember(String key, String credentialId) {
        if (credentialByKey.size() >= MAX_REMEMBERED) {
            credentialByKey.clear();
        }
        credentialByKey.put(key, credentialId);
    }

    void forget(String key) {
        credentialByKey.remove(key);
    }

    public void clear() {
        credentialByKey.clear();
    }
}
