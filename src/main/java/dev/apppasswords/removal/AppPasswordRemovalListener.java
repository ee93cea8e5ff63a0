package dev.apppasswords.removal;

import dev.apppasswords.spi.AppPasswords;
import java.util.Map;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import dev.apppasswords.service.AppPasswordService;
import dev.apppasswords.session.AppPasswordSessions;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * What follows the removal of an app password, whoever removed it: this extension's REST resource and
 * page, the account console ("Signing in", which deletes through Keycloak's own delete-credential
 * action) or an admin (admin console, admin REST API). All of them announce the removal as an event
 * naming the credential's type and id, so this one listener is the single place that signs out the
 * sessions the app password opened and drops its last-use record. It also revokes a user's app passwords
 * when the account password changes (realm policy, on by default).
 */
public class AppPasswordRemovalListener implements EventListenerProvider {

    private static final Logger LOG = Logger.getLogger(AppPasswordRemovalListener.class);

    private final KeycloakSession session;
    private final AppPasswordRemovalListenerFactory factory;

    public AppPasswordRemovalListener(KeycloakSession session, AppPasswordRemovalListenerFactory factory) {
        this.session = session;
        this.factory = factory;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getError() != null) {
            return;
        }
        if (event.getType() == EventType.REMOVE_CREDENTIAL) {
            removed(event.getRealmId(), event.getUserId(), event.getDetails());
        } else if (isPasswordChange(event)) {
            passwordChanged(event.getRealmId(), event.getUserId());
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        String[] path = event.getResourcePath() == null ? new String[0] : event.getResourcePath().split("/");
        if (event.getOperationType() != OperationType.ACTION || event.getError() != null || path.length < 3 || !"users".equals(path[0])) {
            return;
        }
        // Keycloak's admin API reports a credential removal as ACTION on users/{user}/credentials/{credential},
        // and a password set by an admin as ACTION on users/{user}/reset-password.
        if (path.length == 4 && "credentials".equals(path[2])) {
            removed(event.getRealmId(), path[1], event.getDetails());
        } else if (path.length == 3 && "reset-password".equals(path[2])) {
            passwordChanged(event.getRealmId(), path[1]);
        }
    }

    /**
     * The account password changed: by the user (account console, an "update password" required action),
     * or at the end of "forgot password". Keycloak 26 reports it as UPDATE_CREDENTIAL of type password, and
     * still as the older UPDATE_PASSWORD and RESET_PASSWORD; revoking twice is harmless.
     */
    private static boolean isPasswordChange(Event event) {
        return event.getType() == EventType.UPDATE_PASSWORD || event.getType() == EventType.RESET_PASSWORD
                || (event.getType() == EventType.UPDATE_CREDENTIAL && event.getDetails() != null
                    && PasswordCredentialModel.TYPE.equals(event.getDetails().get(Details.CREDENTIAL_TYPE)));
    }

    /** Revokes all of the user's app passwords when the realm policy says so (the default), as mail providers do. */
    private void passwordChanged(String realmId, String userId) {
        RealmModel realm = realmId == null ? null : session.realms().getRealm(realmId);
        UserModel user = realm == null || userId == null ? null : session.users().getUserById(realm, userId);
        if (user == null) {
            return;
        }
        AppPasswordService service = AppPasswords.of(session).service(realm, user);
        if (service.policy().revokeOnPasswordChange()) {
            int revoked = service.deleteAll(null, AppPasswordService.REASON_PASSWORD_CHANGED);
            LOG.debugf("password of user %s changed: %d app password(s) revoked", userId, revoked);
        }
    }

    private void removed(String realmId, String userId, Map<String, String> details) {
        if (details == null || !AppPasswordCredentialModel.TYPE.equals(details.get(Details.CREDENTIAL_TYPE))) {
            return;
        }
        // Keycloak's account REST API names the removed credential "selected_credential_id"; everything else "credential_id".
        String credentialId = details.getOrDefault(Details.CREDENTIAL_ID, details.get(Details.SELECTED_CREDENTIAL_ID));
        RealmModel realm = realmId == null ? null : session.realms().getRealm(realmId);
        UserModel user = realm == null || userId == null ? null : session.users().getUserById(realm, userId);
        if (credentialId == null || user == null) {
            return;
        }
        int signedOut = AppPasswordSessions.signOut(session, realm, user, credentialId);
        // The device record stays for a while as the record of a revoked app password (see StaleDevices).
        String reason = details.getOrDefault(AppPasswordService.DETAIL_REASON, AppPasswordService.REASON_DELETED);
        AppPasswords.of(session).usage().revoke(credentialId, reason, Time.currentTimeMillis());
        AppPasswords.of(session).usageRecorder().forget(credentialId);
        // A grant that checked the app password before this removal committed may store its session after
        // the sweep above: sweep again once the removal has committed, and a little later. (A refresh of such
        // a session is refused in any case: see AppPasswordTokenPostProcessor.)
        session.getTransactionManager().enlistAfterCompletion(factory.sweepsAfterCommit(realmId, userId, credentialId));
        LOG.debugf("app password %s of user %s removed, %d session(s) signed out", credentialId, userId, signedOut);
    }

    @Override
    public void close() {
    }
}
