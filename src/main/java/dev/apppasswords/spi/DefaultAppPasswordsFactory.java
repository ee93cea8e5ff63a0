package dev.apppasswords.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.apppasswords.service.AppPasswordSettings;
import dev.apppasswords.throttle.SourceThrottle;
import dev.apppasswords.usage.ThrottledWriter;
import dev.apppasswords.verification.RecentMatches;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/**
 * The extension's one singleton: Keycloak creates it at start and closes it at shutdown, and it owns everything
 * the extension keeps between requests, all of it node-local memory that a restart may lose without harm:
 * <ul>
 *   <li>the server's settings (SPI options, read in {@link #init});</li>
 *   <li>the per-source throttle of wrong app passwords ({@link SourceThrottle});</li>
 *   <li>which app password a secret matched last ({@link RecentMatches});</li>
 *   <li>when each last-use and stale-device row was last written ({@link ThrottledWriter});</li>
 *   <li>which warnings this node has logged once already;</li>
 *   <li>the hourly clean-up ({@link ExpiredCleanup}), the required action's registration and the upgrade of realms
 *       set up before 1.0 ({@link RequiredActionRegistration}), started in {@link #postInit}.</li>
 * </ul>
 * In a cluster each node has its own: the throttle and the write throttle allow as much per node; the cleanup runs
 * on every node (its deletes are idempotent). Shared state (sessions, credentials, the session pointers) lives in
 * Keycloak's own stores.
 *
 * <p>The settings keep their documented option names, those of the {@code app-password} credential provider
 * ({@code --spi-credential--app-password--max-per-user}); the same options under this SPI
 * ({@code --spi-app-passwords--default--max-per-user}) win when both are given.
 */
public class DefaultAppPasswordsFactory implements AppPasswordsFactory, ServerInfoAwareProviderFactory {

    public static final String ID = "default";

    /** The jar manifest's Implementation-Version (set by the build), or "unknown" when run from classes. */
    public static final String VERSION = versionOf(DefaultAppPasswordsFactory.class);

    private static final int MAX_WARNINGS = 1000;

    private volatile AppPasswordSettings settings = AppPasswordSettings.DEFAULTS;
    private volatile SourceThrottle throttle = new SourceThrottle(AppPasswordSettings.DEFAULTS.failedLoginsPerSource());
    private final RecentMatches recentMatches = new RecentMatches();
    private final ThrottledWriter writer = new ThrottledWriter();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    @Override
    public AppPasswords create(KeycloakSession session) {
        return new DefaultAppPasswords(session, this);
    }

    @Override
    public void init(Config.Scope config) {
        settings = AppPasswordSettings.fromServerConfig();
        throttle = new SourceThrottle(settings.failedLoginsPerSource());
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        ExpiredCleanup.schedule(factory, settings.cleanupIntervalSeconds() * 1000L);
        RequiredActionRegistration.keepRegistered(factory);
    }

    @Override
    public void close() {
        throttle.clear();
        recentMatches.clear();
        writer.clear();
        warned.clear();
    }

    @Override
    public String getId() {
        return ID;
    }

    AppPasswordSettings settings() {
        return settings;
    }

    SourceThrottle throttle() {
        return throttle;
    }

    RecentMatches recentMatches() {
        return recentMatches;
    }

    ThrottledWriter writer() {
        return writer;
    }

    boolean firstTime(String key) {
        return warned.size() < MAX_WARNINGS && warned.add(key);
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("version", VERSION);
        info.put(AppPasswordSettings.MAX_PER_USER, String.valueOf(settings.maxPerUser()));
        info.put(AppPasswordSettings.USAGE_WRITE_INTERVAL, String.valueOf(settings.usageWriteIntervalSeconds()));
        info.put(AppPasswordSettings.FAILED_LOGINS_PER_SOURCE, String.valueOf(settings.failedLoginsPerSource()));
        info.put(AppPasswordSettings.CLEANUP_INTERVAL, String.valueOf(settings.cleanupIntervalSeconds()));
        return info;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(AppPasswordSettings.MAX_PER_USER).type("int")
                .helpText("Most app passwords one user may hold.")
                .defaultValue(AppPasswordSettings.DEFAULTS.maxPerUser()).add()
                .property().name(AppPasswordSettings.USAGE_WRITE_INTERVAL).type("int")
                .helpText("Seconds between two writes of an app password's last-use record.")
                .defaultValue(AppPasswordSettings.DEFAULTS.usageWriteIntervalSeconds()).add()
                .property().name(AppPasswordSettings.FAILED_LOGINS_PER_SOURCE).type("int")
                .helpText("Wrong app passwords one client address may send per minute and realm before it is answered 429; 0: no limit.")
                .defaultValue(AppPasswordSettings.DEFAULTS.failedLoginsPerSource()).add()
                .property().name(AppPasswordSettings.CLEANUP_INTERVAL).type("int")
                .helpText("Seconds between two runs of the clean-up of expired and long-removed app passwords.")
                .defaultValue(AppPasswordSettings.DEFAULTS.cleanupIntervalSeconds()).add()
                .build();
    }

    static String versionOf(Class<?> type) {
        String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "unknown" : version;
    }
}
