package dev.apppasswords.it.support;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Debian13RootTest {

    @Test
    void aMissingRootFailsNamingTheScript() {
        AssertionFailedError error = assertThrows(AssertionFailedError.class,
                () -> Debian13Root.require(Path.of("/nonexistent/app-passwords-debian13")));
        assertTrue(error.getMessage().contains("missing at /nonexistent/app-passwords-debian13"), error.getMessage());
        assertTrue(error.getMessage().contains("scripts/debian13-root.sh"), error.getMessage());
    }
}
