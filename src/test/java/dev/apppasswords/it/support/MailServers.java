package dev.apppasswords.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mail servers the tests start (Dovecot, Postfix) and the plain-socket IMAP and SMTP clients that talk to them:
 * shared by MailServersIT, MailLuaPassdbIT, MailLuaForwardedForIT and MailServers24IT.
 */
public final class MailServers {

    public static final int PARALLEL = 8;
    private static final long START_TIMEOUT_MS = 30_000;
    private static final int IO_TIMEOUT_MS = 20_000;

    private final List<Process> servers = new ArrayList<>();

    /** Starts {@code command} in {@code dir}, its output in {@code dir/output}; stopped by {@link #stopAll()}. */
    public Process start(Path dir, String output, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(output).toFile()).start();
        servers.add(process);
        return process;
    }

    /** Stops every server started here, the last first. */
    public void stopAll() throws InterruptedException {
        for (int i = servers.size() - 1; i >= 0; i--) {
            stopTree(servers.get(i));
        }
        servers.clear();
    }

    /** A Postfix instance of its own ({@code postfix -c dir start-fg}), smtpd on {@code port}, SMTP AUTH through Dovecot's socket. */
    public void startPostfix(Path dir, int port, Path dovecotAuthSocket) throws Exception {
        Files.createDirectories(dir.resolve("queue"));
        Path data = Files.createDirectories(dir.resolve("data"));
        // Postfix's master locks data_directory/master.lock as the mail owner.
        Files.setOwner(data, data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postfix"));
        write(dir.resolve("main.cf"), template(Path.of("src/test/resources/mail/main.cf"), Map.of("dir", dir.toString(),
                "dovecotAuthSocket", dovecotAuthSocket.toString())));
        write(dir.resolve("master.cf"), template(Path.of("src/test/resources/mail/master.cf"), Map.of("port", String.valueOf(port))));
        Process process = start(dir, "postfix.out", "/usr/sbin/postfix", "-c", dir.toString(), "start-fg");
        awaitGreeting(process, port, "220 ", dir.resolve("postfix.out"), dir.resolve("postfix.log"));
    }

    /**
     * Debian 12's Dovecot 2.3 under {@code dir} with the no-token recipe of {@code docs/recipes/dovecot/}: its
     * app-password-passdb.lua with Keycloak's address and the realm filled into the URL (which keeps the recipe's
     * {@code ?client_id=mail}), and its dovecot-2.3-lua.conf with the script's path, included by the test's
     * dovecot-lua.conf; IMAP on {@code port}. Each replaced text must occur once in the recipe.
     */
    public void startLuaDovecot23(Path dir, int port, String keycloakBaseUrl, String realm) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path recipes = Path.of("docs/recipes/dovecot");
        Path script = dir.resolve("app-password-passdb.lua");
        write(script, replaceOnce(Files.readString(recipes.resolve("app-password-passdb.lua")),
                "\"https://keycloak.example.org/realms/example/app-passwords/forward-auth?client_id=mail\"",
                "\"" + keycloakBaseUrl + "/realms/" + realm + "/app-passwords/forward-auth?client_id=mail\""));
        write(dir.resolve("dovecot-2.3-lua.conf"), replaceOnce(Files.readString(recipes.resolve("dovecot-2.3-lua.conf")),
                "/etc/dovecot/app-password-passdb.lua", script.toString()));
        Path conf = dir.resolve("dovecot.conf");
        write(conf, template(Path.of("src/test/resources/mail/dovecot-lua.conf"),
                Map.of("dir", dir.toString(), "name", dir.getFileName().toString(), "imapPort", String.valueOf(port))));
        Process process = start(dir, "dovecot.out", "/usr/sbin/dovecot", "-F", "-c", conf.toString());
        awaitGreeting(process, port, "* OK", dir.resolve("dovecot.out"), dir.resolve("dovecot.log"));
    }

    /**
     * Waits until the server greets a new connection with {@code prefix} (not just until the port listens).
     * Bounded; fails with the server's logs.
     */
    public static void awaitGreeting(Process process, int port, String prefix, Path... logs) throws Exception {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        String last = "no connection";
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                fail(process.info().commandLine().orElse("server") + " exited with " + process.exitValue() + tails(logs));
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
                String line = reader(socket).readLine();
                if (line != null && line.startsWith(prefix)) {
                    return;
                }
                last = String.valueOf(line);
            } catch (ConnectException notYet) {
                last = "connection refused";
            } catch (SocketTimeoutException silent) {
                last = "connected, no greeting";
            }
            Thread.sleep(100);
        }
        fail("no \"" + prefix + "\" greeting on 127.0.0.1:" + port + " within " + START_TIMEOUT_MS + " ms (" + last + ")" + tails(logs));
    }

    /** Stops a server and everything it started (SIGTERM, then SIGKILL after 10 s). */
    public static void stopTree(Process process) throws InterruptedException {
        List<ProcessHandle> tree = Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.currentTimeMillis() + 10_000;
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                handle.destroyForcibly();
            }
        }
    }

    /** The last lines of each log, for failure messages. */
    public static String tails(Path... logs) {
        StringBuilder text = new StringBuilder();
        for (Path log : logs) {
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of("(none)");
                text.append("\n--- ").append(log).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            } catch (IOException e) {
                text.append("\n--- ").append(log).append(": ").append(e);
            }
        }
        return text.toString();
    }

    /** The file with each {@code ${key}} replaced; fails when a placeholder outside a comment is left. */
    public static String template(Path file, Map<String, String> values) throws IOException {
        String text = Files.readString(file);
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("${" + value.getKey() + "}", value.getValue());
        }
        List<String> unfilled = text.lines().filter(l -> !l.startsWith("#") && l.matches(".*\\$\\{\\w+}.*")).toList();
        assertTrue(unfilled.isEmpty(), file + " has unfilled placeholders: " + unfilled);
        return text;
    }

    /** {@code text} with {@code from} replaced by {@code to}; fails unless {@code from} occurs exactly once. */
    public static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        assertTrue(at >= 0 && text.indexOf(from, at + 1) < 0, "\"" + from + "\" must occur exactly once");
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    public static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Runs a command to its end; returns its output (stdout and stderr), trimmed. */
    public static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor();
        return output;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    // ---- IMAP and SMTP clients ----

    /**
     * {@code doveadm auth test} against the Dovecot of {@code conf}, as an IMAP login from {@code address} (Dovecot passes
     * it to the passdb as the client's address): "auth succeeded", "auth failed", "internal failure", or the output.
     */
    public static String doveadmAuthTest(Path conf, String address, String user, String password) throws Exception {
        String output = run("/usr/bin/doveadm", "-c", conf.toString(), "auth", "test", "-x", "service=imap", "-x", "rip=" + address,
                user, password);
        if (output.contains("auth succeeded")) {
            return "auth succeeded";
        }
        if (output.contains("internal auth failure") || output.contains("temp_fail")) {
            return "internal failure";
        }
        if (output.contains("auth failed")) {
            return "auth failed";
        }
        return output;
    }

    /** Connects, sends {@code a1 LOGIN user "password"} and returns the tagged answer ({@code a1 OK ...}/{@code a1 NO ...}). */
    public static String imapLogin(int port, String user, String password) throws IOException {
        try (Socket socket = connect(port)) {
            BufferedReader in = reader(socket);
            Writer out = writer(socket);
            String greeting = in.readLine();
            assertTrue(greeting != null && greeting.startsWith("* OK"), "IMAP greeting: " + greeting);
            send(out, "a1 LOGIN " + quoted(user) + " " + quoted(password));
            String line = in.readLine();
            while (line != null && !line.startsWith("a1 ")) {
                line = in.readLine();
            }
            if (line == null) {
                return "(connection closed)";
            }
            if (line.startsWith("a1 OK")) {
                send(out, "a2 LOGOUT");
                for (String bye = in.readLine(); bye != null && !bye.startsWith("a2 "); bye = in.readLine()) {
                    // * BYE, then a2 OK
                }
            }
            return line;
        }
    }

    /** {@link #PARALLEL} IMAP logins of one user started at the same moment; returns their tagged answers. */
    public static List<String> parallelImapLogins(int port, String user, String password) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        List<String> answers = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                results.add(pool.submit((Callable<String>) () -> {
                    start.await();
                    return imapLogin(port, user, password);
                }));
            }
            start.countDown();
            for (Future<String> result : results) {
                answers.add(result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        return answers;
    }

    /** An IMAP quoted string: app passwords contain spaces. */
    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** EHLO, then {@code AUTH PLAIN base64(\0user\0password)}; returns the answer to AUTH (235 or 535 ...). */
    public static String smtpAuth(int port, String user, String password) throws IOException {
        try (Socket socket = connect(port)) {
            BufferedReader in = reader(socket);
            Writer out = writer(socket);
            String banner = reply(in);
            assertTrue(banner.startsWith("220 "), "SMTP banner: " + banner);
            send(out, "EHLO client.test");
            String ehlo = reply(in);
            assertTrue(ehlo.startsWith("250") && ehlo.contains("AUTH PLAIN"), "EHLO offers AUTH PLAIN: " + ehlo);
            String credentials = "\0" + user + "\0" + password;
            send(out, "AUTH PLAIN " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            String answer = reply(in);
            send(out, "QUIT");
            reply(in);
            return answer;
        }
    }

    /** One SMTP reply, its lines joined by newlines (a multi-line reply ends with "NNN "). */
    private static String reply(BufferedReader in) throws IOException {
        StringBuilder reply = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            reply.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
            reply.append('\n');
        }
        return reply.append("(connection closed)").toString();
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(IO_TIMEOUT_MS);
        return socket;
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static Writer writer(Socket socket) throws IOException {
        return new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
    }

    private static void send(Writer out, String line) throws IOException {
        out.write(line + "\r\n");
        out.flush();
    }
}
