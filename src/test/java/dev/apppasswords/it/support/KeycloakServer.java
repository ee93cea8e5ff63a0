package dev.apppasswords.it.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real Keycloak distribution (unpacked by Maven into {@code target/}) with the freshly built
 * provider jar, started with {@code kc.sh start-dev} on free loopback ports. One instance serves the
 * whole integration-test run; see {@link KeycloakExtension}.
 *
 * <p>System properties (set by the POM): {@code keycloak.home}, {@code provider.jar}, {@code it.db}
 * ({@code dev-file}, {@code postgres} or {@code mariadb}), {@code it.db.url}, {@code it.db.username}.
 */
public final class KeycloakServer {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";
    /** The database the PostgreSQL and MariaDB runs drop and create. */
    private static final String DATABASE = "apppasswords_it";

    private final Path home;
    private final String db;
    private final List<String> extraOptions;
    private final int httpPort;
    private final int managementPort;
    private final Path log;
    private List<String> runtimeOptions = List.of();
    private Process process;

    public KeycloakServer(List<String> extraOptions) {
        this.home = Path.of(required("keycloak.home"));
        this.db = System.getProperty("it.db", "dev-file");
        this.extraOptions = List.copyOf(extraOptions);
        this.httpPort = freePort();
        this.managementPort = freePort();
        this.log = Path.of(System.getProperty("project.build.directory", "target"), "keycloak-it.log");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public String database() {
        return db;
    }

    /**
     * A JDBC connection to Keycloak's database when it is PostgreSQL, for tests that check rows the
     * HTTP API does not show; empty on dev-file H2, which the running server holds exclusively.
     */
    public java.util.Optional<Connection> openDatabase() throws java.sql.SQLException {
        if (db.startsWith("dev-")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(connect(DATABASE));
    }

    /** Resident memory of the Keycloak JVM in MiB (Linux), or -1 when unknown. */
    public long residentMemoryMiB() {
        if (process == null) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time the Keycloak JVM has used so far (user + system), in milliseconds (Linux), or -1. */
    public long cpuMillis() {
        if (process == null) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks * 1000 / 100; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Fresh start: empty database, current provider jar. */
    public void startFresh() throws Exception {
        Path jar = Path.of(required("provider.jar"));
        Path providers = home.resolve("providers");
        try (Stream<Path> old = Files.list(providers)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.delete(p);
            }
        }
        Files.copy(jar, providers.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        deleteTree(home.resolve("data"));
        if (!db.startsWith("dev-")) {
            recreateDatabase();
        }
        Files.deleteIfExists(log);
        start();
    }

    public void start() throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--health-enabled=true",
                "--db=" + db));
        if (!db.startsWith("dev-")) {
            command.add("--db-url=" + databaseUrl(DATABASE));
            command.add("--db-username=" + System.getProperty("it.db.username", "postgres"));
            if ("postgres".equals(db)) {
                command.add("--db-password=unused-with-trust-auth");
            }
        }
        command.addAll(extraOptions);
        command.addAll(runtimeOptions);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        // e.g. -Dit.java.opts=-XX:StartFlightRecording=filename=target/keycloak.jfr,settings=profile to profile a run
        String javaOpts = System.getProperty("it.java.opts", "");
        if (!javaOpts.isBlank()) {
            builder.environment().put("JAVA_OPTS_APPEND", javaOpts);
        }
        process = builder.start();
        awaitReady(Duration.ofMinutes(4));
    }

    public void stop() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public void restart() throws Exception {
        stop();
        start();
    }

    /** Restarts with extra runtime options (e.g. SPI options) until the next restart. */
    public void restart(List<String> options) throws Exception {
        runtimeOptions = List.copyOf(options);
        restart();
    }

    private void awaitReady(Duration timeout) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + log + "\n" + tail());
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        stop();
        throw new IllegalStateException("Keycloak did not become ready within " + timeout + "; see " + log + "\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void recreateDatabase() throws Exception {
        boolean postgres = "postgres".equals(db);
        try (Connection c = connect(postgres ? "postgres" : "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + (postgres ? " WITH (FORCE)" : ""));
            s.execute("CREATE DATABASE " + DATABASE + (postgres ? "" : " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"));
        }
    }

    private static String databaseUrl(String database) {
        return System.getProperty("it.db.url", "jdbc:postgresql://127.0.0.1:5432/") + database;
    }

    private static Connection connect(String database) throws java.sql.SQLException {
        return DriverManager.getConnection(databaseUrl(database), System.getProperty("it.db.username", "postgres"), "");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set; run the integration tests through Maven (./mvnw verify)");
        }
        return value;
    }
}
