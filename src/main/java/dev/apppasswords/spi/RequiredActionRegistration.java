package dev.apppasswords.spi;

import dev.apppasswords.credential.AppPasswordCredentialProvider;
import dev.apppasswords.service.UpgradedRealms;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;

/**
 * Keeps the required action {@code create-app-password} registered: Keycloak registers a provider's
 * required action in no realm by itself, and without it the account console offers no <i>Set up app
 * password</i> and {@code kc_action=create-app-password} is ignored. So it is registered (enabled, not a
 * default action) in every realm that lacks it — existing ones at start, new ones when created or
 * imported. An admin who does not want it disables it; a disabled registration is left alone.
 */
public final class RequiredActionRegistration {

    private static final Logger LOG = Logger.getLogger(RequiredActionRegistration.class);
    static final String NAME = "Create an app password";

    private RequiredActionRegistration() {
    }

    /**
     * Called from the extension factory's postInit: after start (all realms) and after each realm is created. At start it
     * also keeps realms that held app passwords before 1.0 switched on ({@link UpgradedRealms}).
     */
    static void keepRegistered(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                KeycloakModelUtils.runJobInTransaction(factory, session -> session.realms().getRealmsStream()
                        .forEach(realm -> {
                            registerIfMissing(session, realm);
                            UpgradedRealms.keepWorking(session, realm);
                        }));
            } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
                registerIfMissing(created.getKeycloakSession(), created.getCreatedRealm());
            }
        });
    }

    private static void registerIfMissing(KeycloakSession session, RealmModel realm) {
        if (realm.getRequiredActionProviderByAlias(AppPasswordCredentialProvider.CREATE_ACTION) == null) {
            register(realm);
            LOG.infof("Registered the required action '%s' in realm %s (disable it there if app passwords are not wanted)",
                    AppPasswordCredentialProvider.CREATE_ACTION, realm.getName());
        }
    }

    /** For the set-up endpoint, an explicit admin request: registers, or enables a disabled registration. */
    public static String ensureEnabled(RealmModel realm) {
        RequiredActionProviderModel model = realm.getRequiredActionProviderByAlias(AppPasswordCredentialProvider.CREATE_ACTION);
        if (model == null) {
            register(realm);
            return "registered";
        }
        if (!model.isEnabled()) {
            model.setEnabled(true);
            realm.updateRequiredActionProvider(model);
            return "enabled";
        }
        return "found";
    }

    private static void register(RealmModel realm) {
        RequiredActionProviderModel model = new RequiredActionProviderModel();
        model.setAlias(AppPasswordCredentialProvider.CREATE_ACTION);
        model.setProviderId(AppPasswordCredentialProvider.CREATE_ACTION);
        model.setName(NAME);
        model.setEnabled(true);
        model.setDefaultAction(false);
        model.setPriority(realm.getRequiredActionProvidersStream().mapToInt(RequiredActionProviderModel::getPriority).max().orElse(0) + 10);
        realm.addRequiredActionProvider(model);
    }
}
