package dev.apppasswords.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A terminal block of the docs, run as a newcomer would paste it: the first {@code ```sh} block after an
 * introducing sentence, run by {@code sh -eu} with only the server's address changed (curl needed).
 */
public final class PastedBlock {

    private PastedBlock() {
    }

    /** The first {@code ```sh} block after {@code intro} in {@code doc}. */
    public static String after(Path doc, String intro) throws IOException {
        String text = Files.readString(doc);
        int at = text.indexOf(intro);
        assertTrue(at > 0, doc + " introduces the terminal block with: " + intro);
        int start = text.indexOf("```sh\n", at) + "```sh\n".length();
        return text.substring(start, text.indexOf("```", start));
    }

    /**
     * Runs the block against {@code baseUrl} (in place of http://localhost:8080) with {@code TMPDIR} under target/;
     * asserts it exits 0 within {@code seconds}; returns what it printed.
     */
    public static String run(String block, String baseUrl, String label, int seconds) throws Exception {
        DebianPackages.require("/usr/bin/curl", "curl");
        // demo/Totp.java remembers the last step it printed in $TMPDIR: keep that file in target/.
        Path tmp = Files.createDirectories(Path.of(System.getProperty("project.build.directory", "target"), "pasted-block-tmp"));
        ProcessBuilder builder = new ProcessBuilder("sh", "-eu", "-c", block.replace("http://localhost:8080", baseUrl))
                .redirectErrorStream(true);
        builder.environment().put("TMPDIR", tmp.toAbsolutePath().toString());
        Process shell = builder.start();
        assertTrue(shell.waitFor(seconds, TimeUnit.SECONDS), "the " + label + " block finished");
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("[" + label + "]\n" + output);
        assertEquals(0, shell.exitValue(), output);
        return output;
    }
}
