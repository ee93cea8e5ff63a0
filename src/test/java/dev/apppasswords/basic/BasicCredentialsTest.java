package dev.apppasswords.basic;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BasicCredentialsTest {

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsUsernameAndPassword() {
        BasicCredentials c = BasicCredentials.parse(basic("alice:abcd efgh ijkl mnop qrst uvwx")).orElseThrow();
        assertEquals("alice", c.username());
        assertEquals("abcd efgh ijkl mnop qrst uvwx", c.password());
    }

    @Test
    void passwordMayContainColonsAndSchemeIsCaseInsensitive() {
        BasicCredentials c = BasicCredentials.parse("basic   " + basic("bob:a:b:c").substring(6)).orElseThrow();
        assertEquals("bob", c.username());
        assertEquals("a:b:c", c.password());
    }

    @Test
    void readsUtf8() {
        assertEquals("jürgen", BasicCredentials.parse(basic("jürgen:pw")).orElseThrow().username());
    }

    @Test
    void refusesMalformedHeaders() {
        assertTrue(BasicCredentials.parse(null).isEmpty());
        assertTrue(BasicCredentials.parse("").isEmpty());
        assertTrue(BasicCredentials.parse("Bearer abc").isEmpty());
        assertTrue(BasicCredentials.parse("Basic").isEmpty());
        assertTrue(BasicCredentials.parse("Basic !!!notbase64").isEmpty());
        assertTrue(BasicCredentials.parse(basic("no-colon")).isEmpty());
        assertTrue(BasicCredentials.parse(basic(":password-without-user")).isEmpty());
        assertTrue(BasicCredentials.parse("Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', 'x'})).isEmpty());
        assertTrue(BasicCredentials.parse("Basic " + "A".repeat(10_000)).isEmpty());
    }

    @Test
    void challengeQuotesTheRealmAndToStringHidesThePassword() {
        assertEquals("Basic realm=\"my \\\"realm\\\"\", charset=\"UTF-8\"", BasicCredentials.challenge("my \"realm\""));
        assertFalse(new BasicCredentials("u", "secret-value").toString().contains("secret-value"));
    }
}
