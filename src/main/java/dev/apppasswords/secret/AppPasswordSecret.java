package dev.apppasswords.secret;

import java.security.SecureRandom;

/**
 * The clear-text form of an app password: generated here, shown to the user once, never stored.
 *
 * <p>24 lowercase letters carry log2(26^24) ≈ 112.8 bits of entropy, enough for a look-up secret that
 * is stored with a fast hash (NIST SP 800-63B §5.1.2). Letters only, shown in groups of four, because
 * people type them on phone keyboards; typed input is accepted with or without the separators and in
 * any letter case (phones like to capitalise the first letter).
 */
public final class AppPasswordSecret {

    public static final int LENGTH = 24;
    public static final int GROUP = 4;
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String letters;

    private AppPasswordSecret(String letters) {
        this.letters = letters;
    }

    public static AppPasswordSecret generate() {
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new AppPasswordSecret(new String(out));
    }

    /**
     * Reads what a user or client typed. Spaces, tabs and hyphens between groups are dropped, letters are
     * lower-cased. Returns {@code null} when the rest cannot be an app password (wrong length or other
     * characters), so callers skip hashing for ordinary passwords.
     */
    public static AppPasswordSecret parse(String typed) {
        if (typed == null || typed.length() > 4 * LENGTH) {
            return null;
        }
        StringBuilder letters = new StringBuilder(LENGTH);
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c == ' ' || c == '-' || c == '\t') {
                continue;
            }
            char lower = Character.toLowerCase(c);
            if (lower < 'a' || lower > 'z') {
                return null;
            }
            letters.append(lower);
        }
        return letters.length() == LENGTH ? new AppPasswordSecret(letters.toString()) : null;
    }

    /** The canonical form that is hashed: 24 lowercase letters, no separators. */
    public String canonical() {
        return letters;
    }

    /** The form shown to the user: groups of four letters separated by spaces. */
    public String grouped() {
        StringBuilder out = new StringBuilder(LENGTH + LENGTH / GROUP);
        for (int i = 0; i < LENGTH; i += GROUP) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(letters, i, i + GROUP);
        }
        return out.toString();
    }

    /** Never the secret: instances end up in debuggers and log statements by accident. */
    @Override
    public String toString() {
        return "AppPasswordSecret[****]";
    }
}
