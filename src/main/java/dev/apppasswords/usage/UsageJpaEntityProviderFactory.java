package dev.apppasswords.usage;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Registers the last-use table and removes its rows with their user and realm. Keycloak calls
 * {@link #postInit} once at start; the listeners then run inside the transaction that removes the
 * user or realm, so both disappear together.
 */
public class UsageJpaEntityProviderFactory implements JpaEntityProviderFactory {

    /** Also names Liquibase's history table: DATABASECHANGELOG_APPPASSWOR. */
    public static final String ID = "apppasswords";

    private static final UsageJpaEntityProvider PROVIDER = new UsageJpaEntityProvider();

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof UserModel.UserRemovedEvent removed) {
                new UsageStore(removed.getKeycloakSession()).deleteUser(removed.getUser().getId());
            } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
                new UsageStore(removed.getKeycloakSession()).deleteRealm(removed.getRealm().getId());
            }
        });
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
