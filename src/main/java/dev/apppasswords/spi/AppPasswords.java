package dev.apppasswords.spi;

import dev.apppasswords.service.AppPasswordPolicy;
import dev.apppasswords.service.AppPasswordService;
import dev.apppasswords.service.AppPasswordSettings;
import dev.apppasswords.usage.StaleDevices;
import dev.apppasswords.usage.UsageRecorder;
import dev.apppasswords.usage.UsageStore;
import dev.apppasswords.verification.AppPasswordVerifier;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.Provider;

/**
 * What every entry of the extension works with, for one Keycloak session: {@code session.getProvider(AppPasswords.class)}.
 * Collaborators are made per call and share the factory's state, so nothing outside the factory keeps any.
 */
public interface AppPasswords extends Provider {

    /** The provider of this session; every entry reaches the extension through here. */
    static AppPasswords of(KeycloakSession session) {
        return session.getProvider(AppPasswords.class);
    }

    AppPasswordSettings settings();

    /** The realm's rules, with the server's settings as defaults. */
    AppPasswordPolicy policy(RealmModel realm);

    /** The one decision behind every login. */
    AppPasswordVerifier verifier();

    /** Creating, listing and deleting one user's app passwords. */
    AppPasswordService service(RealmModel realm, UserModel user);

    /** Last-use and removed-device rows, in this session's transaction. */
    UsageStore usage();

    /** Devices still sending a removed app password. */
    StaleDevices staleDevices();

    /** The throttled writer of last-use records. */
    UsageRecorder usageRecorder();

    /**
     * True the first time this node is asked about {@code key}, false after: for a warning worth logging once per
     * client, not per request.
     */
    boolean firstTime(String key);

    @Override
    default void close() {
    }
}
