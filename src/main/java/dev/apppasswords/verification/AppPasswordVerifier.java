package dev.apppasswords.verification;

import java.util.Set;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import dev.apppasswords.secret.AppPasswordSecret;
import dev.apppasswords.secret.SecretHash;
import dev.apppasswords.service.AppPasswordPolicy;
import dev.apppasswords.service.AppPasswordSettings;
import dev.apppasswords.credential.AppPasswordCredentialProviderFactory;
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
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.managers.BruteForceProtector;

/**
 * The one place that decides whether a typed password is one of a user's app passwords. Every way in
 * (direct grant, HTTP Basic, forward-auth) goes through here, so policy lives once.
 *
 * <p>Order matters: a disabled realm, a disabled or locked user is refused before any secret is compared,
 * so the answer says nothing about whether the secret was right.
 */
public final class AppPasswordVerifier {

    private final KeycloakSession session;

    public AppPasswordVerifier(KeycloakSession session) {
        this.session = session;
    }

    /**
     * For protocols that carry a username and a password together (HTTP Basic, forward-auth): finds the
     * user by username or email, then verifies. Service accounts never have app passwords.
     */
    public Verdict verify(RealmModel realm, String username, String typed, ClientModel client) {
        if (!realm.isEnabled()) {
            return Verdict.refused(Verdict.Outcome.REALM_DISABLED, null, Errors.REALM_DISABLED);
        }
        UserModel user = username == null || username.isBlank() ? null
                : KeycloakModelUtils.findUserByNameOrEmail(session, realm, username);
        if (user == null || user.getServiceAccountClientLink() != null) {
            return Verdict.refused(Verdict.Outcome.UNKNOWN_USER, null, Errors.USER_NOT_FOUND);
        }
        return verify(realm, user, typed, client);
    }

    /**
     * {@code client}: the client the login is for, or null when none is named (forward-auth without
     * {@code client_id}); an app password limited to other clients, or to any client when none is named,
     * does not match.
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
            return Verdict.refused(Verdict.Outcome.REJECTED, user, Errors.INVALID_USER_CREDENTIALS);
        }
        AppPasswordCredentialModel match = find(user, candidate, client);
        if (match == null) {
            AppPasswordUsageEntity revoked = StaleDevices.recognise(session, user, candidate);
            if (revoked != null) {
                StaleDevices.noteTry(session.getKeycloakSessionFactory(), revoked.getCredentialId(), Time.currentTimeMillis(), remoteAddress());
                return Verdict.refusedMatch(Verdict.Outcome.REVOKED, user,
                        AppPasswordCredentialModel.named(revoked.getCredentialId(), revoked.getName()), Verdict.ERROR_REVOKED);
            }
            return Verdict.refused(Verdict.Outcome.REJECTED, user, Errors.INVALID_USER_CREDENTIALS);
        }
        // The realm's rules are checked only once the secret matched: they concern that app password and its
        // owner, and whoever typed it knows it already. None of these counts as a failed login.
        if (match.isExpired(Time.currentTimeMillis())) {
            return Verdict.refusedMatch(Verdict.Outcome.EXPIRED, user, match, Verdict.ERROR_EXPIRED);
        }
        AppPasswordPolicy policy = AppPasswordPolicy.of(session, realm);
        if (!policy.enabled()) {
            return Verdict.refusedMatch(Verdict.Outcome.FEATURE_OFF, user, match, Verdict.ERROR_FEATURE_OFF);
        }
        if (policy.who().refusal(session, realm, user) != null) {
            return Verdict.refusedMatch(Verdict.Outcome.NOT_ALLOWED, user, match, Verdict.ERROR_NOT_ALLOWED);
        }
        // Checked only after a match, so that in a direct grant the account password still reaches Keycloak's own
        // steps (and their "Account is not fully set up"); an app password never skips a pending required action.
        if (user.getRequiredActionsStream().findAny().isPresent()) {
            return Verdict.refused(Verdict.Outcome.ACTION_REQUIRED, user, Errors.RESOLVE_REQUIRED_ACTIONS);
        }
        return Verdict.accepted(user, match);
    }

    /**
     * Counts a wrong app password as a failed login for brute-force detection. Only for callers outside
     * an authentication flow (forward-auth): inside a flow Keycloak counts the failure itself.
     */
    public void recordFailure(RealmModel realm, UserModel user) {
        if (realm.isBruteForceProtected()) {
            session.getProvider(BruteForceProtector.class).failedLogin(realm, user, session.getContext().getConnection(),
                    session.getContext().getUri(), Set.of(PasswordCredentialModel.TYPE));
        }
    }

    /** Notes the login on the app password's last-use record (throttled, outside the request's transaction). */
    public void recordUse(RealmModel realm, UserModel user, AppPasswordCredentialModel appPassword, ClientModel client) {
        AppPasswordSettings settings = AppPasswordCredentialProviderFactory.settings(session);
        SecretHash hash = appPassword.secretHash();
        AppPasswordUsage usage = new AppPasswordUsage(appPassword.getId(), user.getId(), realm.getId(),
                Time.currentTimeMillis(), remoteAddress(), client != null ? client.getClientId() : null, appPassword.getUserLabel(),
                hash != null ? hash.saltBase64() : null, hash != null ? hash.hashBase64() : null);
        UsageRecorder.record(session.getKeycloakSessionFactory(), usage, settings.usageWriteIntervalSeconds());
    }

    /**
     * The user's app password this secret is, if usable for the client: first the one it matched last time
     * (see RecentMatches), else a scan of all of them.
     */
    private AppPasswordCredentialModel find(UserModel user, AppPasswordSecret candidate, ClientModel client) {
        String clientId = client != null ? client.getClientId() : null;
        String key = RecentMatches.key(user, candidate);
        String rememberedId = RecentMatches.credentialId(key);
        if (rememberedId != null) {
            CredentialModel stored = user.credentialManager().getStoredCredentialById(rememberedId);
            AppPasswordCredentialModel remembered = stored != null && AppPasswordCredentialModel.TYPE.equals(stored.getType())
                    ? AppPasswordCredentialModel.fromStored(stored) : null;
            if (remembered != null && matches(remembered, candidate)) {
                return remembered.usableFor(clientId) ? remembered : null;
            }
            RecentMatches.forget(key);
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
        RecentMatches.remember(key, match.getId());
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
