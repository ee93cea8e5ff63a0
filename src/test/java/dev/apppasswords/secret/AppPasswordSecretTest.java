package dev.apppasswords.secret;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

class AppPasswordSecretTest {

    @Test
    void generatedSecretsHaveAtLeast112BitsAndAreLowercaseLetters() {
        AppPasswordSecret secret = AppPasswordSecret.generate();
        assertTrue(secret.canonical().matches("[a-z]{24}"), secret.canonical());
        double bits = AppPasswordSecret.LENGTH * (Math.log(26) / Math.log(2));
        assertTrue(bits >= 112, "entropy " + bits);
    }

    @Test
    void groupedFormIsSixGroupsOfFour() {
        String grouped = AppPasswordSecret.generate().grouped();
        assertTrue(grouped.matches("([a-z]{4} ){5}[a-z]{4}"), grouped);
    }

    @Test
    void generatedSecretsDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(AppPasswordSecret.generate().canonical()));
        }
    }

    @Test
    void everyLetterOccurs() {
        int[] counts = new int[26];
        for (int i = 0; i < 2_000; i++) {
            for (char c : AppPasswordSecret.generate().canonical().toCharArray()) {
                counts[c - 'a']++;
            }
        }
        // 48,000 letters: each should appear about 1,846 times; a broken generator would miss letters.
        for (int count : counts) {
            assertTrue(count > 1_500 && count < 2_200, "letter count " + count);
        }
    }

    @Test
    void parseAcceptsSpacesHyphensAndCapitals() {
        AppPasswordSecret secret = AppPasswordSecret.generate();
        String canonical = secret.canonical();
        assertEquals(canonical, AppPasswordSecret.parse(secret.grouped()).canonical());
        assertEquals(canonical, AppPasswordSecret.parse(secret.grouped().replace(' ', '-')).canonical());
        assertEquals(canonical, AppPasswordSecret.parse(canonical.toUpperCase()).canonical());
        assertEquals(canonical, AppPasswordSecret.parse("  " + secret.grouped() + "\t").canonical());
        String capitalisedFirst = Character.toUpperCase(canonical.charAt(0)) + canonical.substring(1);
        assertEquals(canonical, AppPasswordSecret.parse(capitalisedFirst).canonical());
    }

    @Test
    void parseRejectsWhatCannotBeAnAppPassword() {
        assertNull(AppPasswordSecret.parse(null));
        assertNull(AppPasswordSecret.parse(""));
        assertNull(AppPasswordSecret.parse("Main-password-1"));
        assertNull(AppPasswordSecret.parse("abcd efgh ijkl mnop qrst uvw"));
        assertNull(AppPasswordSecret.parse("abcd efgh ijkl mnop qrst uvwxy"));
        assertNull(AppPasswordSecret.parse("abcd efgh ijkl mnop qrst uvw1"));
        assertNull(AppPasswordSecret.parse("abcd_efgh_ijkl_mnop_qrst_uvwx"));
        assertNull(AppPasswordSecret.parse("é".repeat(24)));
        assertNull(AppPasswordSecret.parse(" ".repeat(10_000)));
        assertNotNull(AppPasswordSecret.parse("abcd efgh ijkl mnop qrst uvwx"));
    }

    @Test
    void toStringNeverShowsTheSecret() {
        AppPasswordSecret secret = AppPasswordSecret.generate();
        assertFalse(secret.toString().contains(secret.canonical().substring(0, 4)));
    }
}
