package dev.apppasswords.credential;

import dev.apppasswords.throttle.SourceThrottle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.apppasswords.service.AppPasswordSettings;
import dev.apppasswords.service.ExpiredCleanup;
import org.keycloak.Config;
import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/**
 * Registers the {@code app-password} credential type and carries the server-wide settings, read from
 * Keycloak's SPI options, e.g. {@code --spi-credential--app-password--max-per-user=20}. Its entry in the
 * admin console's <em>Provider info</em> ({@code GET /admin/serverinfo}) shows the extension's version and
 * those settings.
 */
public class AppPasswordCredentialProviderFactory implements CredentialProviderFactory<AppPasswordCredentialProvider>,
        ServerInfoAwareProviderFactory {

    /** The jar manifest's Implementation-Version (set by the build), or "unknown" when run from classes. */
    public static final String VERSION = versionOf(AppPasswordCredentialProviderFactory.class);

    public static final String ID = AppPasswordCredentialModel.TYPE;

    private volatile AppPasswordSettings settings = AppPasswordSettings.DEFAULTS;
    private volatile SourceThrottle throttle = new SourceThrottle(AppPasswordSettings.DEFAULTS.failedLoginsPerSource());

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public AppPasswordCredentialProvider create(KeycloakSession session) {
        return new AppPasswordCredentialProvider(session);
    }

    @Override
    public void init(Config.Scope config) {
        settings = AppPasswordSettings.from(config);
        throttle = new SourceThrottle(settings.failedLoginsPerSource());
    }

    @Override
    public void close() {
        throttle.clear();
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        ExpiredCleanup.schedule(factory);
    }

    public AppPasswordSettings settings() {
        return settings;
    }

    /** The server's settings, found through the factory Keycloak keeps as a singleton. */
    public static AppPasswordSettings settings(KeycloakSession session) {
        return of(session).settings();
    }

    /** The node's throttle of wrong app passwords per source, owned by this factory (see SourceThrottle). */
    public static SourceThrottle throttle(KeycloakSession session) {
        return of(session).throttle;
    }

    private static AppPasswordCredentialProviderFactory of(KeycloakSession session) {
        return (AppPasswordCredentialProviderFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(org.keycloak.credential.CredentialProvider.class, ID);
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("version", VERSION);
        info.put(AppPasswordSettings.MAX_PER_USER, String.valueOf(settings.maxPerUser()));
        info.put(AppPasswordSettings.USAGE_WRITE_INTERVAL, String.valueOf(settings.usageWriteIntervalSeconds()));
        info.put(AppPasswordSettings.FAILED_LOGINS_PER_SOURCE, String.valueOf(settings.failedLoginsPerSource()));
        return info;
    }

    static String versionOf(Class<?> type) {
        String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "unknown" : version;
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
                .build();
    }
}
