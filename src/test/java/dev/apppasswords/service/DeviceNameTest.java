package dev.apppasswords.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeviceNameTest {

    @Test
    void trimsAndKeepsOrdinaryNames() {
        assertEquals("Laptop", DeviceName.validate("  Laptop "));
        assertEquals("Thunderbird auf dem Büro-PC", DeviceName.validate("Thunderbird auf dem Büro-PC"));
        assertEquals("<img src=x onerror=alert(1)>", DeviceName.validate("<img src=x onerror=alert(1)>"));
        assertEquals("📱 Phone", DeviceName.validate("📱 Phone"));
        assertEquals("x".repeat(255), DeviceName.validate("x".repeat(255)));
        // 127 emoji are 254 UTF-16 units, what the database column counts.
        assertEquals("📱".repeat(127), DeviceName.validate("📱".repeat(127)));
    }

    @Test
    void refusesBlankLongAndInvisibleNames() {
        for (String bad : new String[] {null, "", "   ", "x".repeat(256), "line\nbreak", "tab\there", "nul\0",
                "right\u202Eleft", "zero\u200Bwidth", "line\u2028separator", "para\u2029separator", "\u3164",
                "blank\u3164filler", "\u2800", "📱".repeat(128)}) {
            AppPasswordProblem problem = assertThrows(AppPasswordProblem.class, () -> DeviceName.validate(bad), String.valueOf(bad));
            assertEquals(AppPasswordProblem.Kind.INVALID_INPUT, problem.kind());
        }
    }

    @Test
    void givenAnEmojiThenEventsGetAReplacementCharacterAndTheNameKeepsIt() {
        assertEquals("\uFFFD Phone", DeviceName.forEvent("📱 Phone"));
        assertEquals("Büro-PC", DeviceName.forEvent("Büro-PC"));
        assertEquals("📱 Phone", DeviceName.validate("📱 Phone"));
    }
}
