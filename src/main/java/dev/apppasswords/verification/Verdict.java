package dev.apppasswords.verification;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import org.keycloak.models.UserModel;

/**
 * What {@link AppPasswordVerifier} decided. {@link Outcome#ACCEPTED} carries the matching app password, and
 * so do the outcomes that refuse a right one (expired, switched off, not allowed), to name it in the event;
 * the other outcomes tell the caller which error event to log, never which secret was near.
 * {@code user} is null for {@link Outcome#UNKNOWN_USER} and {@link Outcome#REALM_DISABLED}.
 */
public record Verdict(Outcome outcome, UserModel user, AppPasswordCredentialModel appPassword, String eventError) {

    public enum Outcome {
        ACCEPTED, REJECTED, UNKNOWN_USER, USER_DISABLED, USER_LOCKED,
        /** The realm is disabled: nobody signs in, as at the token endpoint. */
        REALM_DISABLED,
        /** The app password is right, but the user has required actions pending ("Account is not fully set up"). */
        ACTION_REQUIRED,
        /** The app password is right, but it has expired. */
        EXPIRED,
        /** The app password is right, but the realm has switched app passwords off. */
        FEATURE_OFF,
        /** The app password is right, but the realm's policy no longer lets this user have app passwords. */
        NOT_ALLOWED,
        /** An app password that was removed: a stale device (see StaleDevices); never counted as a guess. */
        REVOKED
    }

    /** Event errors of the outcomes Keycloak has no error for. */
    public static final String ERROR_EXPIRED = "app_password_expired";
    public static final String ERROR_FEATURE_OFF = "app_passwords_disabled";
    public static final String ERROR_NOT_ALLOWED = "app_password_not_allowed";
    public static final String ERROR_REVOKED = "app_password_revoked";

    static Verdict accepted(UserModel user, AppPasswordCredentialModel appPassword) {
        return new Verdict(Outcome.ACCEPTED, user, appPassword, null);
    }

    static Verdict refused(Outcome outcome, UserModel user, String eventError) {
        return new Verdict(outcome, user, null, eventError);
    }

    /** A right app password that may not be used: the verdict names it (for the event), but does not accept it. */
    static Verdict refusedMatch(Outcome outcome, UserModel user, AppPasswordCredentialModel appPassword, String eventError) {
        return new Verdict(outcome, user, appPassword, eventError);
    }

    public boolean accepted() {
        return outcome == Outcome.ACCEPTED;
    }

    /** No app password matched: a wrong secret or an unknown user (as opposed to a user who may not log in at all). */
    public boolean noMatch() {
        return outcome == Outcome.REJECTED || outcome == Outcome.UNKNOWN_USER;
    }

    /** A wrong secret, as opposed to a user who may not log in at all; only this should count for brute force. */
    public boolean wrongSecret() {
        return outcome == Outcome.REJECTED;
    }
}
