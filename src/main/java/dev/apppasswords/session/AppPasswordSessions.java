package dev.apppasswords.session;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import java.util.List;
import java.util.Map;

import org.keycloak.OAuth2Constants;
import org.keycloak.common.util.Time;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.util.TokenUtil;

/**
 * The user sessions that app-password logins create. Every such session carries the user-session note
 * {@code app_password_id}, so that deleting an app password signs out what it signed in: its
 * refresh tokens and the userinfo endpoint stop working at once, not when the session expires.
 *
 * <p>A legacy client logs in again and again (Dovecot runs a direct grant for every IMAP connection
 * that misses its cache). Storing a new user session for each login fills the database and the
 * account console's device list, and storing it is most of a grant's cost. So a direct grant with an
 * app password joins the live session the same app password opened before, when there is one: one app
 * password, one device, one session. Which session that is lives in Keycloak's single-use object store
 * (key {@value #POINTER_PREFIX}{@code <app password id>} → session id), which a cluster shares: logins that
 * a load balancer spreads over the nodes still join one session (a node-local map gave one session per
 * node). Reading it is a lookup in a cache every node holds. When there is no pointer (the whole cluster
 * restarted, or the entry expired), the user's sessions are searched once for one the app password signed in.
 */
public final class AppPasswordSessions {


    /** Key prefix of the pointer from an app password to the session its direct grants join. */
    static final String POINTER_PREFIX = "app-password-session.";
    private static final String SESSION_ID = "sessionId";

    private AppPasswordSessions() {
    }

    /** Marks the session this login is about to create with the app password's id. */
    public static void mark(AuthenticationSessionModel authSession, String appPasswordId) {
        authSession.setUserSessionNote(AppPasswordCredentialModel.ID_KEY, appPasswordId);
    }

    /**
     * The live session an earlier direct grant with this app password opened, if it can carry this login
     * too; otherwise remembers that the session about to be created (Keycloak gives a direct grant's user
     * session the id of its authentication session) is the one to join next time.
     */
    public static UserSessionModel joinable(KeycloakSession session, RealmModel realm, UserModel user,
                                            String appPasswordId, AuthenticationSessionModel authSession) {
        if (wantsOfflineToken(authSession)) {
            // Keycloak removes the online session after issuing an offline token: never hand it a shared one.
            return null;
        }
        SingleUseObjectProvider pointers = session.singleUseObjects();
        Map<String, String> pointer = pointers.get(POINTER_PREFIX + appPasswordId);
        String sessionId = pointer == null ? null : pointer.get(SESSION_ID);
        UserSessionModel existing = sessionId == null ? null : session.sessions().getUserSession(realm, sessionId);
        if (existing != null && canCarry(realm, user, appPasswordId, existing)) {
            keepAlive(realm, existing);
            return existing;
        }
        if (pointer == null) {
            existing = openedBefore(session, realm, user, appPasswordId);
        }
        String joined = existing != null ? existing.getId() : authSession.getParentSession().getId();
        pointers.put(POINTER_PREFIX + appPasswordId, Math.max(60, realm.getSsoSessionMaxLifespan()), Map.of(SESSION_ID, joined));
        if (existing != null) {
            keepAlive(realm, existing);
        }
        return existing;
    }

    /**
     * Signs out every session the app password signed in, offline ones (offline tokens) included; returns
     * how many. Keycloak copies a session's notes to the offline session made from it.
     */
    public static int signOut(KeycloakSession session, RealmModel realm, UserModel user, String appPasswordId) {
        return remove(session, realm, user, appPasswordId, online -> AuthenticationManager.backchannelLogout(session, realm, online,
                session.getContext().getUri(), session.getContext().getConnection(), session.getContext().getRequestHeaders(), true));
    }

    /**
     * Signs out, once the current transaction has ended, the sessions of an app password found gone while
     * the request ran (see AppPasswordTokenPostProcessor).
     */
    public static void signOutAfterCompletion(KeycloakSession session, String realmId, String userId, String appPasswordId) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                sweep(factory, realmId, userId, appPasswordId);
            }

            @Override
            protected void rollbackImpl() {
                sweep(factory, realmId, userId, appPasswordId);
            }
        });
    }

    /**
     * Removes, in a transaction of its own and outside any request, every session (online and offline)
     * the app password signed in; returns how many. Used after a removal has committed, to catch the
     * sessions that grants in flight created while the removal ran.
     */
    public static int sweep(KeycloakSessionFactory factory, String realmId, String userId, String appPasswordId) {
        int[] removed = {0};
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            RealmModel realm = session.realms().getRealm(realmId);
            if (realm == null) {
                return;
            }
            session.getContext().setRealm(realm);
            UserModel user = session.users().getUserById(realm, userId);
            if (user == null) {
                return;
            }
            removed[0] = remove(session, realm, user, appPasswordId, online -> session.sessions().removeUserSession(realm, online));
        });
        return removed[0];
    }

    /**
     * A live session the app password signed in, found without a pointer (the cluster restarted since):
     * one read of the user's sessions, the newest that can carry the login.
     */
    private static UserSessionModel openedBefore(KeycloakSession session, RealmModel realm, UserModel user, String appPasswordId) {
        return session.sessions().getUserSessionsStream(realm, user)
                .filter(s -> canCarry(realm, user, appPasswordId, s))
                .max(java.util.Comparator.comparingInt(UserSessionModel::getStarted))
                .orElse(null);
    }

    /**
     * The one sweep: drops the pointer, ends each online session the app password signed in with {@code endOnline}
     * (a logout inside a request, a plain removal outside one) and removes its offline sessions; returns how many.
     */
    private static int remove(KeycloakSession session, RealmModel realm, UserModel user, String appPasswordId,
                              java.util.function.Consumer<UserSessionModel> endOnline) {
        session.singleUseObjects().remove(POINTER_PREFIX + appPasswordId);
        List<UserSessionModel> online = session.sessions().getUserSessionsStream(realm, user)
                .filter(s -> signedInBy(s, appPasswordId)).toList();
        online.forEach(endOnline);
        List<UserSessionModel> offline = session.sessions().getOfflineUserSessionsStream(realm, user)
                .filter(s -> signedInBy(s, appPasswordId)).toList();
        offline.forEach(s -> session.sessions().removeOfflineUserSession(realm, s));
        return online.size() + offline.size();
    }

    private static boolean signedInBy(UserSessionModel userSession, String appPasswordId) {
        return appPasswordId.equals(userSession.getNote(AppPasswordCredentialModel.ID_KEY));
    }

    private static boolean canCarry(RealmModel realm, UserModel user, String appPasswordId, UserSessionModel existing) {
        return existing.getState() == UserSessionModel.State.LOGGED_IN
                && existing.getPersistenceState() != UserSessionModel.SessionPersistenceState.TRANSIENT
                && existing.getUser() != null && user.getId().equals(existing.getUser().getId())
                && signedInBy(existing, appPasswordId)
                && AuthenticationManager.isSessionValid(realm, existing)
                && outlivesNewTokens(realm, existing);
    }

    /**
     * Restarts the session's idle timer, at most once a minute (twice per idle timeout when that is
     * shorter): each restart is a write of the session row, and a login every second need not make one.
     */
    private static void keepAlive(RealmModel realm, UserSessionModel existing) {
        int now = Time.currentTime();
        int every = Math.max(1, Math.min(60, realm.getSsoSessionIdleTimeout() / 2));
        if (now - existing.getLastSessionRefresh() >= every) {
            existing.setLastSessionRefresh(now);
        }
    }

    /** A session near its maximum lifetime would cut the new tokens short: start a fresh one instead. */
    private static boolean outlivesNewTokens(RealmModel realm, UserSessionModel existing) {
        long end = (long) existing.getStarted() + realm.getSsoSessionMaxLifespan();
        return end - Time.currentTime() > realm.getAccessTokenLifespan();
    }

    /** Asked for in the request, or a default scope of the client (then every grant gets an offline token). */
    private static boolean wantsOfflineToken(AuthenticationSessionModel authSession) {
        return TokenUtil.isOfflineTokenRequested(authSession.getClientNote(OIDCLoginProtocol.SCOPE_PARAM))
                || authSession.getClient().getClientScopes(true).containsKey(OAuth2Constants.OFFLINE_ACCESS);
    }
}
