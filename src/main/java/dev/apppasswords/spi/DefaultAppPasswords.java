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

/** The per-session provider: makes the collaborators of one request over the factory's shared state. */
final class DefaultAppPasswords implements AppPasswords {

    private final KeycloakSession session;
    private final DefaultAppPasswordsFactory factory;

    DefaultAppPasswords(KeycloakSession session, DefaultAppPasswordsFactory factory) {
        this.session = session;
        this.factory = factory;
    }

    @Override
    public AppPasswordSettings settings() {
        return factory.settings();
    }

    @Override
    public AppPasswordPolicy policy(RealmModel realm) {
        return AppPasswordPolicy.of(realm, factory.settings());
    }

    @Override
    public AppPasswordVerifier verifier() {
        return new AppPasswordVerifier(session, this::policy, factory.throttle(), factory.recentMatches(), staleDevices(), usageRecorder());
    }

    @Override
    public AppPasswordService service(RealmModel realm, UserModel user) {
        return new AppPasswordService(session, realm, user, policy(realm), usage());
    }

    @Override
    public UsageStore usage() {
        return new UsageStore(session);
    }

    @Override
    public StaleDevices staleDevices() {
        return new StaleDevices(session, factory.writer());
    }

    @Override
    public UsageRecorder usageRecorder() {
        return new UsageRecorder(session.getKeycloakSessionFactory(), factory.writer(), factory.settings().usageWriteIntervalSeconds());
    }

    @Override
    public boolean firstTime(String key) {
        return factory.firstTime(key);
    }
}
