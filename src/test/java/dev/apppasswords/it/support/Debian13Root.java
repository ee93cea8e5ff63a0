package dev.apppasswords.it.support;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Debian 13 root with Dovecot 2.4 that {@code scripts/debian13-root.sh} builds and caches (in
 * {@code /var/cache/app-passwords-debian13}, or {@code $APP_PASSWORDS_DEBIAN13}); {@code scripts/test} runs that
 * script before Maven. The tests build nothing: a missing root is a failure naming the script.
 */
public final class Debian13Root {

    public static final String DEFAULT = "/var/cache/app-passwords-debian13";
    private static final String MARKER = ".app-passwords-root";

    private Debian13Root() {
    }

    /** The root named by {@code $APP_PASSWORDS_DEBIAN13} or the default, when the script finished building it. */
    public static Path require() {
        String configured = System.getenv("APP_PASSWORDS_DEBIAN13");
        return require(Path.of(configured == null || configured.isBlank() ? DEFAULT : configured));
    }

    /** {@code root} when it holds the script's marker and Dovecot, or a failure naming the script. */
    public static Path require(Path root) {
        if (!Files.isRegularFile(root.resolve(MARKER)) || !Files.isExecutable(root.resolve("usr/sbin/dovecot"))) {
            fail("The Debian 13 root with Dovecot 2.4 is missing at " + root + ": build it as root with scripts/debian13-root.sh"
                    + " (about 95 s once; scripts/test runs it before Maven). The tests build nothing themselves.");
        }
        return root;
    }
}
