package dev.apppasswords.rest;

import java.nio.charset.StandardCharsets;

/**
 * Header values that name a user, made ASCII-safe without ambiguity: UTF-8, percent-encoded as in
 * RFC 3986 (the encoding RFC 8187 uses for header parameters). Letters, digits and {@code - . _ ~ @ + !}
 * stay as they are, so ASCII usernames and email addresses usually arrive unchanged; everything else,
 * {@code %} included, becomes {@code %XX}. HTTP header values are ISO-8859-1 on the wire: sent raw,
 * {@code łukasz} and {@code ńukasz} both arrived as {@code ?ukasz}.
 */
public final class IdentityHeader {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private IdentityHeader() {
    }

    public static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (isKept(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean isKept(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '@' || c == '+' || c == '!';
    }
}
