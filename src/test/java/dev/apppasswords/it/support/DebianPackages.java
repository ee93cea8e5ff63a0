package dev.apppasswords.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Installs the Debian packages a test needs (nginx, chromium) when they are missing: a fresh CI machine
 * has only a JDK, Maven and the registries. Needs root, as CI has; otherwise it says what to install.
 */
public final class DebianPackages {

    private static boolean updated;

    private DebianPackages() {
    }

    public static synchronized Path ensure(String binary, String... packages) {
        Path path = Path.of(binary);
        if (Files.isExecutable(path)) {
            return path;
        }
        try {
            if (!updated) {
                run(List.of("apt-get", "update", "-qq"));
                updated = true;
            }
            run(concat(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"), packages));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("Cannot install " + String.join(" ", packages)
                    + " (needs root and Debian's package mirror); install it and rerun", e);
        }
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(binary + " still missing after installing " + String.join(" ", packages));
        }
        return path;
    }

    private static List<String> concat(List<String> head, String... tail) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
    }
}
