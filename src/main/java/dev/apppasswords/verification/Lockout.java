package dev.apppasswords.verification;

import org.keycloak.common.util.Time;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserLoginFailureModel;
import org.keycloak.models.UserModel;

/**
 * Whether brute-force detection has locked a user, read from Keycloak's login-failure record — the
 * same test {@code DefaultBruteForceProtector} makes.
 *
 * <p>Why not ask the protector: Keycloak 26's default (blocking) protector also answers "locked" while
 * another login of the same user is in flight, to stop parallel guessing from outrunning the failure
 * counter. Mail clients open several connections at once, and each makes a grant; refusing them is
 * what breaks such clients, and guessing a 112-bit app password in parallel gains nothing. Failures are
 * still counted by the protector, and the account password keeps its blocking check in Keycloak's own
 * username and password steps.
 */
final class Lockout {

    private Lockout() {
    }

    /** The event error for a locked user, or null when the user may log in. */
    static String check(KeycloakSession session, RealmModel realm, UserModel user) {
        if (!realm.isBruteForceProtected()) {
            return null;
        }
        UserLoginFailureModel failure = session.loginFailures().getUserLoginFailure(realm, user.getId());
        if (failure == null) {
            return null;
        }
        if (realm.isPermanentLockout() && failure.getNumTemporaryLockouts() > realm.getMaxTemporaryLockouts()) {
            return Errors.USER_DISABLED;
        }
        return Time.currentTime() < failure.getFailedLoginNotBefore() ? Errors.USER_TEMPORARILY_DISABLED : null;
    }
}
