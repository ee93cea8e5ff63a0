package dev.apppasswords.verification;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import dev.apppasswords.secret.AppPasswordSecret;
import dev.apppasswords.secret.SecretHash;
import dev.apppasswords.service.AppPasswordPolicy;
import dev.apppasswords.throttle.SourceThrottle;
import dev.apppasswords.usage.AppPasswordUsage;
import dev.apppasswords.usage.AppPasswordUsageEntity;
import dev.apppasswords.usage.StaleDevices;
import dev.apppasswords.usage.UsageRecorder;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.Errors;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The one place that decides whether a typed password is one of a user's app passwords. Every way in
 * (direct grant, HTTP Basic, forward-auth) goes through here, so policy lives once.
 *
 * <p>Order matters: a disabled realm, a disabled or locked user is refused before any secret is compared,
 * so the answer says nothing about whether the secret was right.
 *
 * <p>A wrong app password never counts toward Keycloak's lockout of the account: a 112-bit secret cannot be
 * guessed, so counting guesses protects nothing and lets any stranger lock the owner out. Its cost is bounded
 * per source by {@link SourceThrottle} instead. The account password keeps Keycloak's own counting wherever the
 * account password is accepted.
 */
public final class AppPasswordVerifier {

    /**
     * Session attribute: the app password this request's login accepted. The token post-processor rechecks the app
     * password of every token response; for the grant that has just verified it, that would repeat the same reads.
     */
    static final String ACCEPTED_IN_THIS_REQUEST = "app-passwords.accepted";

    /** A user id no user has: the removed-device lookup for an unknown username (see {@link #verify}). */
    private static final String UNKNOWN_USER_ID = "00000000-0000-0000-0000-000000000000";

    private final KeycloakSession session;
    private final AppPasswordPolicy.Source policies;
    private final SourceThrottle throttle;
    private final RecentMatches recentMatches;
    private final StaleDevices staleDevices;
    private final UsageRecorder usageRecorder;

    /** Made per request by the extension's provider, which hands in the node's shared state. */
    public AppPasswordVerifier(KeycloakSession session, AppPasswordPolicy.Source policies, SourceThrottle throttle,
                               RecentMatches recentMatches, StaleDevices staleDevices, UsageRecorder usageRecorder) {
        this.session = session;
        this.policies = policies;
        this.throttle = throttle;
        this.recentMatches = recentMatches;
        this.staleDevices = staleDevices;
        this.usageRecorder = usageRecorder;
    }

    /**
     * For protocols that carry a username and a password together (HTTP Basic, forward-auth, a direct grant
     * whose flow has no username step): finds the user by username or email, then verifies. Service accounts
     * never have app passwords.
     */
    public Verdict verify(RealmModel realm, String username, String typed, ClientModel client) {
        if (!realm.isEnabled()) {
            return Verdict.refused(Verdict.Outcome.REALM_DISABLED, null, Errors.REALM_DISABLED);
        }
        UserModel user = username == null || username.isBlank() ? null
                : KeycloakModelUtils.findUserByNameOrEmail(session, realm, username);
        if (user == null || user.getServiceAccountClientLink() != null) {
            AppPasswordSecret candidate = AppPasswordSecret.parse(typed);
            if (candidate != null) {
                long retryAfter = throttle.retryAfterSeconds(source(realm), Time.currentTimeMillis());
                if (retryAfter > 0) {
                    return Verdict.throttled(null, retryAfter);
                }
                // The same work as a wrong guess at a known user (the removed-device lookup, a hash), so that the
                // time of the answer does not tell which usernames exist.
                staleDevices.recognise(UNKNOWN_USER_ID, candidate);
                throttle.failed(source(realm), Time.currentTimeMillis());
            }
            return Verdict.refused(Verdict.Outcome.UNKNOWN_USER, null, Errors.USER_NOT_FOUND);
        }
        return verify(realm, user, typed, client);
    }

    /**
     * {@code client}: the client the login is for, or null when none is named (forward-auth without
     * {@code client_id}); an app password limited to other clients, or to any client when none is named,
     * does not match.
     *
     * <p>A source (see {@link SourceThrottle}) that sent too many wrong app passwords gets only the cheap path: a
     * device whose secret matched on this node before still signs in (one lookup, one hash); anything else is
     * refused at once as {@link Verdict.Outcome#THROTTLED}, without reading or hashing stored secrets.
     */
    public Verdict verify(RealmModel realm, UserModel user, String typed, ClientModel client) {
        if (!realm.isEnabled()) {
            return Verdict.refused(Verdict.Outcome.REALM_DISABLED, null, Errors.REALM_DISABLED);
        }
        if (!user.isEnabled()) {
            return Verdict.refused(Verdict.Outcome.USER_DISABLED, user, Errors.USER_DISABLED);
        }
        String locked = Lockout.check(session, realm, user);
        if (locked != null) {
            return Verdict.refused(Verdict.Outcome.USER_LOCKED, user, locked);
        }
        AppPasswordSecret candidate = AppPasswordSecret.parse(typed);
        if (candidate == null) {
            // Not shaped like an app password (e.g. the account password): nothing to hash.
            return Verdict.refused(Verdict.Outcome.NOT_AN_APP_PASSWORD, user, Errors.INVALID_USER_CREDENTIALS);
        }
        String source = source(realm);
        long retryAfter = throttle.retryAfterSeconds(source, Time.currentTimeMillis());
        AppPasswordCredentialModel match = find(user, candidate, client, retryAfter == 0);
        if (match == null) {
            if (retryAfter > 0) {
                return Verdict.throttled(user, retryAfter);
            }
            AppPasswordUsageEntity revoked = staleDevices.recognise(user.getId(), candidate);
            if (revoked != null) {
                staleDevices.noteTry(revoked.getCredentialId(), Time.currentTimeMillis(), remoteAddress());
                return Verdict.refusedMatch(Verdict.Outcome.REVOKED, user,
                        AppPasswordCredentialModel.named(revoked.getCredentialId(), revoked.getName()), Verdict.ERROR_REVOKED);
            }
            throttle.failed(source, Time.currentTimeMillis());
            return Verdict.refused(Verdict.Outcome.REJECTED, user, Errors.INVALID_USER_CREDENTIALS);
        }
        Verdict refused = rules(realm, user, match);
        if (refused != null) {
            return refused;
        }
        // Checked only after a match, so that in a direct grant the account password still reaches Keycloak's own
        // steps (and their "Account is not fully set up"); an app password never skips a pending required action.
        if (user.getRequiredActionsStream().findAny().isPresent()) {
            return Verdict.refused(Verdict.Outcome.ACTION_REQUIRED, user, Errors.RESOLVE_REQUIRED_ACTIONS);
        }
        session.setAttribute(ACCEPTED_IN_THIS_REQUEST, match.getId());
        return Verdict.accepted(user, match);
    }

    /**
     * Whether the app password that signed a session in may still carry it, by the rules of a login: it exists,
     * is usable at the client, has not expired, the realm still has app passwords on and the user may still
     * have them. For refreshes and every other token Keycloak issues from such a session.
     */
    public Verdict recheck(RealmModel realm, UserModel user, String appPasswordId, ClientModel client) {
        if (user == null || !user.isEnabled()) {
            return Verdict.refused(Verdict.Outcome.USER_DISABLED, user, Errors.USER_DISABLED);
        }
        if (appPasswordId.equals(session.getAttribute(ACCEPTED_IN_THIS_REQUEST))) {
            // This very request's login checked it a moment ago, by the same rules (client limits included).
            return Verdict.accepted(user, null);
        }
        CredentialModel stored = user.credentialManager().getStoredCredentialById(appPasswordId);
        if (stored == null || !AppPasswordCredentialModel.TYPE.equals(stored.getType())) {
            return Verdict.refused(Verdict.Outcome.REVOKED, user, Verdict.ERROR_REVOKED);
        }
        AppPasswordCredentialModel appPassword = AppPasswordCredentialModel.fromStored(stored);
        if (!appPassword.usableFor(client != null ? client.getClientId() : null)) {
            return Verdict.refusedMatch(Verdict.Outcome.NOT_FOR_CLIENT, user, appPassword, Verdict.ERROR_NOT_FOR_CLIENT);
        }
        Verdict refused = rules(realm, user, appPassword);
        return refused != null ? refused : Verdict.accepted(user, appPassword);
    }

    /**
     * The realm's rules for a right app password, checked only once the secret matched: they concern that app
     * password and its owner, and whoever typed it knows it already. None of these counts as a failed login.
     */
    private Verdict rules(RealmModel realm, UserModel user, AppPasswordCredentialModel match) {
        if (match.isExpired(Time.currentTimeMillis())) {
            return Verdict.refusedMatch(Verdict.Outcome.EXPIRED, user, match, Verdict.ERROR_EXPIRED);
        }
        AppPasswordPolicy policy = policies.of(realm);
        if (!policy.enabled()) {
            return Verdict.refusedMatch(Verdict.Outcome.FEATURE_OFF, user, match, Verdict.ERROR_FEATURE_OFF);
        }
        if (policy.who().refusal(session, realm, user) != null) {
            return Verdict.refusedMatch(Verdict.Outcome.NOT_ALLOWED, user, match, Verdict.ERROR_NOT_ALLOWED);
        }
        return null;
    }

    /**
     * Where the login comes from, for the throttle: the realm and the client's address as Keycloak sees it — the
     * TCP peer, or the address a trusted proxy forwarded when Keycloak is configured for it ({@code proxy-headers},
     * {@code proxy-trusted-addresses}). Never a header of our own: a visitor could name someone else's address.
     */
    private String source(RealmModel realm) {
        return realm.getId() + " " + remoteAddress();
    }

    /** Notes the login on the app password's last-use record (throttled, outside the request's transaction). */
    public void recordUse(RealmModel realm, UserModel user, AppPasswordCredentialModel appPassword, ClientModel client) {
        SecretHash hash = appPassword.secretHash();
        AppPasswordUsage usage = new AppPasswordUsage(appPassword.getId(), user.getId(), realm.getId(),
                Time.currentTimeMillis(), remoteAddress(), client != null ? client.getClientId() : null, appPassword.getUserLabel(),
                hash != null ? hash.saltBase64() : null, hash != null ? hash.hashBase64() : null);
        usageRecorder.record(usage);
    }

    /**
     * The user's app password this secret is, if usable for the client: first the one it matched last time
     * (see RecentMatches), else, when {@code scan}, a scan of all of them.
     */
    private AppPasswordCredentialModel find(UserModel user, AppPasswordSecret candidate, ClientModel client, boolean scan) {
        String clientId = client != null ? client.getClientId() : null;
        String key = RecentMatches.key(user, candidate);
        String rememberedId = recentMatches.credentialId(key);
        if (rememberedId != null) {
            CredentialModel stored = user.credentialManager().getStoredCredentialById(rememberedId);
            AppPasswordCredentialModel remembered = stored != null && AppPasswordCredentialModel.TYPE.equals(stored.getType())
                    ? AppPasswordCredentialModel.fromStored(stored) : null;
            if (remembered != null && matches(remembered, candidate)) {
                return remembered.usableFor(clientId) ? remembered : null;
            }
            recentMatches.forget(key);
        }
        if (!scan) {
            return null;
        }
        AppPasswordCredentialModel match = user.credentialManager()
                .getStoredCredentialsByTypeStream(AppPasswordCredentialModel.TYPE)
                .map(AppPasswordCredentialModel::fromStored)
                .filter(stored -> matches(stored, candidate))
                .findFirst()
                .orElse(null);
        if (match == null) {
            return null;
        }
        recentMatches.remember(key, match.getId());
        return match.usableFor(clientId) ? match : null;
    }

    private String remoteAddress() {
        return session.getContext().getConnection() != null ? session.getContext().getConnection().getRemoteAddr() : null;
    }

    private static boolean matches(AppPasswordCredentialModel stored, AppPasswordSecret candidate) {
        SecretHash hash = stored.secretHash();
        return hash != null && hash.matches(candidate);
    }
}
