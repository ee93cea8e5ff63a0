package dev.apppasswords.it.support;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Debian packages some integration tests drive (nginx, curl, chromium, chromium-driver, Dovecot's imapd and Lua
 * auth plugin, Postfix). The tests
 * install nothing: {@code .ci/run} installs them when they are missing; a test that finds one missing fails
 * with a message that names the package and the command.
 */
public final class DebianPackages {

    /** What {@code .ci/run} installs, for the message. */
    public static final String ALL = "nginx curl chromium chromium-driver dovecot-imapd dovecot-auth-lua postfix";

    private DebianPackages() {
    }

    /** The executable {@code binary}, or a failure naming the Debian packages that provide it. */
    public static Path require(String binary, String... packages) {
        return require(binary, Files.isExecutable(Path.of(binary)), packages);
    }

    /** The file {@code file} (a plugin, not a program), or a failure naming the Debian packages that provide it. */
    public static Path requireFile(String file, String... packages) {
        return require(file, Files.isRegularFile(Path.of(file)), packages);
    }

    private static Path require(String binary, boolean present, String... packages) {
        Path path = Path.of(binary);
        if (!present) {
            String names = String.join(" ", packages);
            fail(binary + " is missing: install Debian's " + names + " (as root: apt-get update && apt-get install -y "
                    + names + "). .ci/run installs what the tests need (" + ALL + ") when it is missing; the tests"
                    + " install nothing themselves.");
        }
        return path;
    }
}
