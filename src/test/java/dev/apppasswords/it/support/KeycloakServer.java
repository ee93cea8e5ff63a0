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
import java.util.List;
import java.util.stream.Stream;

/**
 * The real Keycloak distribution (unpacked by Maven into {@code target/}) with the freshly built
 * provider jar, started on free loopback ports.
 *
 * <p>The shared instance ({@link #KeycloakServer(List)}, one for the whole integration-test run, see
 * {@link KeycloakExtension}) runs {@code kc.sh start-dev} in the unpacked distribution itself, on the
 * database {@code apppasswords_it} (PostgreSQL, MariaDB) or the distribution's {@code data/h2}.
 * {@link #ownInstance} gives a test class a Keycloak of its own, separate from the shared one: its own
 * copy of the distribution, ports, database and log, run the way production runs it
 * ({@code kc.sh build}, then {@code start --optimized}), so that {@code kc.sh export} and
 * {@code import} ({@link #command}) use the same server image instead of rebuilding it.
 * {@link #clusterNode} is an own instance built with Keycloak's production cache ({@code --cache=ispn}):
 * nodes on the same database find each other through it (JGroups {@code jdbc-ping}) and form a cluster.
 *
 * <p>System properties (set by the POM): {@code keycloak.home}, {@code provider.jar}, {@code it.db}
 * ({@code dev-file}, {@code postgres} or {@code mariadb}), {@code it.db.url}, {@code it.db.username}.
 */
public final class KeycloakServer {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";
    /** The database the PostgreSQL and MariaDB runs drop and create. */
    private static final String DATABASE = "apppasswords_it";

    /** {@code start-dev}, which rebuilds the server image itself when needed; or build + {@code start --optimized}. */
    private enum Mode { DEV, PRODUCTION }

    private final Path home;
    /** For an own instance: the unpacked distribution its {@link #home} is copied from; else null. */
    private final Path distribution;
    private final Mode mode;
    private final String db;
    private final String database;
    private final List<String> extraOptions;
    private final int httpPort;
    private final int managementPort;
    private final Path log;
    /** {@code local}, or {@code ispn} for a cluster node. */
    private final String cache;
    /** Options every start gets (a cluster node's JGroups address and port). */
    private final List<String> nodeOptions;
    private List<String> runtimeOptions = List.of();
    private boolean buildNeeded = true;
    private Process process;

    public KeycloakServer(List<String> extraOptions) {
        this(Path.of(required("keycloak.home")), null, Mode.DEV, DATABASE, extraOptions, "keycloak-it.log", "local");
    }

    private KeycloakServer(Path home, Path distribution, Mode mode, String database, List<String> extraOptions, String logName,
                           String cache) {
        this.home = home;
        this.distribution = distribution;
        this.mode = mode;
        this.db = System.getProperty("it.db", "dev-file");
        this.database = database;
        this.extraOptions = List.copyOf(extraOptions);
        this.httpPort = freePort();
        this.managementPort = freePort();
        this.log = Path.of(System.getProperty("project.build.directory", "target"), logName);
        this.cache = cache;
        // Several nodes on one machine: each binds JGroups to the loopback on a port of its own (7800 by default).
        this.nodeOptions = "ispn".equals(cache)
                ? List.of("--cache-embedded-network-bind-address=127.0.0.1", "--cache-embedded-network-bind-port=" + freePort())
                : List.of();
    }

    /**
     * A Keycloak of its own, separate from the shared one: {@link #startFresh} copies the unpacked
     * distribution to {@code target/keycloak-<name>} (its {@code data/h2} is this instance's dev-file
     * database), uses the database {@code database} on PostgreSQL and MariaDB (dropped and created there),
     * its own free ports and the log {@code target/keycloak-<name>.log}. Build-time options
     * ({@code --db}, health, a local cache) are given to {@code kc.sh build}; the server then runs with
     * {@code start --optimized}. Docker registry tokens are on, as on the shared instance.
     */
    public static KeycloakServer ownInstance(String name, String database) {
        Path target = Path.of(System.getProperty("project.build.directory", "target"));
        // Docker registry tokens, as on the shared instance: the test realm has a docker-v2 client.
        return new KeycloakServer(target.resolve("keycloak-" + name), Path.of(required("keycloak.home")), Mode.PRODUCTION,
                database, List.of("--features=docker"), "keycloak-" + name + ".log", "local");
    }

    /**
     * A node of a Keycloak cluster: an {@link #ownInstance} built with {@code --cache=ispn}, Keycloak's
     * production default, whose JGroups stack {@code jdbc-ping} finds the other nodes through the shared
     * database. Start the first node with {@link #startFresh}, the others with {@link #startJoining}.
     * Needs PostgreSQL or MariaDB: the dev-file database belongs to one process.
     */
    public static KeycloakServer clusterNode(String name, String database) {
        Path target = Path.of(System.getProperty("project.build.directory", "target"));
        return new KeycloakServer(target.resolve("keycloak-" + name), Path.of(required("keycloak.home")), Mode.PRODUCTION,
                database, List.of("--features=docker"), "keycloak-" + name + ".log", "ispn");
    }

    /** Whether the server's log has a line matching this regular expression. */
    public boolean logMatches(String regex) throws IOException {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
        return Files.exists(log) && Files.readAllLines(log).stream().anyMatch(line -> pattern.matcher(line).find());
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

    /** Where {@code --import-realm} reads realm files from. */
    public Path importDirectory() {
        return home.resolve("data/import");
    }

    /**
     * A JDBC connection to Keycloak's database when it is PostgreSQL, for tests that check rows the
     * HTTP API does not show; empty on dev-file H2, which the running server holds exclusively.
     */
    /** Rows in APP_PASSWORD_USAGE; empty on dev-file H2, whose file the running server holds exclusively. */
    public java.util.Optional<Integer> usageRows() throws java.sql.SQLException {
        java.util.Optional<Connection> db = openDatabase();
        if (db.isEmpty()) {
            return java.util.Optional.empty();
        }
        try (Connection c = db.get(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM APP_PASSWORD_USAGE")) {
            rs.next();
            return java.util.Optional.of(rs.getInt(1));
        }
    }

    public java.util.Optional<Connection> openDatabase() throws java.sql.SQLException {
        if (db.startsWith("dev-")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(connect(database));
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
        startFresh(Path.of(required("provider.jar")));
    }

    /** Fresh start with this provider jar (an own instance also gets a fresh copy of the distribution). */
    public void startFresh(Path jar) throws Exception {
        if (distribution != null) {
            copyDistribution();
        }
        installProvider(jar);
        TestFiles.deleteTree(home.resolve("data"));
        if (!db.startsWith("dev-")) {
            recreateDatabase();
        }
        Files.deleteIfExists(log);
        start();
    }

    /**
     * Another node of a cluster ({@link #clusterNode}): a fresh copy of the distribution with the current
     * provider jar, started on the database the first node made, which it keeps.
     */
    public void startJoining() throws Exception {
        copyDistribution();
        installProvider(Path.of(required("provider.jar")));
        Files.deleteIfExists(log);
        start();
    }

    /**
     * Replaces the provider jar(s) in {@code providers/} by this one, as an upgrade does; the next
     * {@link #start} rebuilds the server image. Stop the server first.
     */
    public void installProvider(Path jar) throws IOException {
        Path providers = home.resolve("providers");
        try (Stream<Path> old = Files.list(providers)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.delete(p);
            }
        }
        Files.copy(jar, providers.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        buildNeeded = true;
    }

    /**
     * Empties this instance's database: the dev-file database in {@code data/h2}, or the PostgreSQL or
     * MariaDB database, dropped and created again. Stop the server first.
     */
    public void emptyDatabase() throws Exception {
        if (db.startsWith("dev-")) {
            TestFiles.deleteTree(home.resolve("data/h2"));
        } else {
            recreateDatabase();
        }
    }

    public void start() throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString()));
        if (mode == Mode.DEV) {
            command.addAll(List.of("start-dev", "--health-enabled=true", "--db=" + db));
        } else {
            if (buildNeeded) {
                build();
            }
            command.addAll(List.of("start", "--optimized", "--http-enabled=true", "--hostname-strict=false"));
        }
        command.addAll(List.of("--http-host=127.0.0.1", "--http-port=" + httpPort, "--http-management-port=" + managementPort));
        command.addAll(databaseOptions());
        command.addAll(nodeOptions);
        if (mode == Mode.DEV) {
            command.addAll(extraOptions); // in production mode, they went to kc.sh build
        }
        command.addAll(runtimeOptions);
        process = processBuilder(command).start();
        awaitReady(Duration.ofMinutes(4));
    }

    /**
     * Runs {@code kc.sh <arguments> --optimized} with this instance's database, e.g.
     * {@code export --dir <dir> --realm <realm>}, while the server is stopped (the dev-file database
     * allows one process at a time); returns how long it took. Output goes to the log. Own instances only:
     * the shared one runs {@code start-dev}, whose image {@code export} would rebuild.
     */
    public Duration command(String... arguments) throws Exception {
        if (mode != Mode.PRODUCTION) {
            throw new IllegalStateException("kc.sh commands need an own instance (KeycloakServer.ownInstance)");
        }
        if (process != null) {
            throw new IllegalStateException("stop the server before running kc.sh " + String.join(" ", arguments));
        }
        if (buildNeeded) {
            build();
        }
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString()));
        command.addAll(List.of(arguments));
        command.add("--optimized");
        command.addAll(databaseOptions());
        ProcessBuilder builder = processBuilder(command);
        // export and import open the management interface too (health is built in): not on 9000.
        builder.environment().put("KC_HTTP_MANAGEMENT_PORT", String.valueOf(freePort()));
        builder.environment().put("KC_HTTP_MANAGEMENT_HOST", "127.0.0.1");
        return run(builder, "kc.sh " + String.join(" ", arguments));
    }

    /** {@code kc.sh build} with the build-time options of an own instance. */
    private void build() throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "build",
                "--db=" + db, "--health-enabled=true", "--cache=" + cache));
        command.addAll(extraOptions);
        run(processBuilder(command), "kc.sh build");
        buildNeeded = false;
    }

    private Duration run(ProcessBuilder builder, String what) throws Exception {
        long started = System.nanoTime();
        Process command = builder.start();
        if (!command.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
            command.descendants().forEach(ProcessHandle::destroyForcibly);
            command.destroyForcibly().waitFor();
            throw new IllegalStateException(what + " did not finish within 5 minutes; see " + log + "\n" + tail());
        }
        if (command.exitValue() != 0) {
            throw new IllegalStateException(what + " exited with " + command.exitValue() + "; see " + log + "\n" + tail());
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private List<String> databaseOptions() {
        List<String> options = new ArrayList<>();
        if (!db.startsWith("dev-")) {
            options.add("--db-url=" + databaseUrl(database));
            options.add("--db-username=" + System.getProperty("it.db.username", "postgres"));
            if ("postgres".equals(db)) {
                options.add("--db-password=unused-with-trust-auth");
            }
        }
        return options;
    }

    private ProcessBuilder processBuilder(List<String> command) {
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
        return builder;
    }

    /**
     * A fresh copy of the unpacked distribution for an own instance, without the shared instance's
     * {@code data/} and provider jars (it may be running).
     */
    private void copyDistribution() throws IOException {
        if (home.toAbsolutePath().normalize().equals(distribution.toAbsolutePath().normalize())) {
            throw new IllegalStateException("an own instance needs its own folder, not " + distribution);
        }
        TestFiles.deleteTree(home);
        try (Stream<Path> walk = Files.walk(distribution)) {
            for (Path from : walk.toList()) {
                Path relative = distribution.relativize(from);
                if (relative.startsWith("data") || (relative.startsWith("providers") && from.toString().endsWith(".jar"))) {
                    continue;
                }
                Path to = home.resolve(relative.toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        buildNeeded = true;
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

    /** Runtime options (e.g. {@code --proxy-headers}) for the next starts, until {@link #restart(List)} replaces them. */
    public KeycloakServer withRuntimeOptions(List<String> options) {
        runtimeOptions = List.copyOf(options);
        return this;
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
            s.execute("DROP DATABASE IF EXISTS " + database + (postgres ? " WITH (FORCE)" : ""));
            s.execute("CREATE DATABASE " + database + (postgres ? "" : " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"));
        }
    }

    private static String databaseUrl(String database) {
        return System.getProperty("it.db.url", "jdbc:postgresql://127.0.0.1:5432/") + database;
    }

    private static Connection connect(String database) throws java.sql.SQLException {
        return DriverManager.getConnection(databaseUrl(database), System.getProperty("it.db.username", "postgres"), "");
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
