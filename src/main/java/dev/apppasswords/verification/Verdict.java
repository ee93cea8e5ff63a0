package dev.apppasswords.verification;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import org.keycloak.models.UserModel;

/**
 * What {@link AppPasswordVerifier} decided. {@link Outcome#ACCEPTED} carries the matching app password, and
 * so do the outcomes that refuse a right one (expired, switched off, not allowed), to name it in the event;
 * the other outcomes tell the caller which error event to log, never which secret was near.
 * {@code user} is null for {@link Outcome#UNKNOWN_USER} and {@link Outcome#REALM_DISABLED}.
 */
public record Verdict(Outcome outcome, UserModel user, AppPasswordCredentialModel appPassword, String eventError, long retryAfterSeconds) {

    public enum Outcome {
        ACCEPTED,
        /** A wrong secret in the app-password format. */
        REJECTED,
        /** Not shaped like an app password (the account password, or anything else): not one of ours to judge. */
        NOT_AN_APP_PASSWORD,
        UNKNOWN_USER, USER_DISABLED, USER_LOCKED,
        /** The source sent too many wrong app passwords; answered without looking at stored secrets (see SourceThrottle). */
        THROTTLED,
        /** The app password is right, but limited to other clients (a refresh at another client). */
        NOT_FOR_CLIENT,
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
    public static final String ERROR_THROTTLED = "app_password_source_throttled";
    public static final String ERROR_NOT_FOR_CLIENT = "app_password_not_for_client";

    static Verdict accepted(UserModel user, AppPasswordCredentialModel appPassword) {
        return new Verdict(Outcome.ACCEPTED, user, appPassword, null, 0);
    }

    static Verdict refused(Outcome outcome, UserModel user, String eventError) {
        return new Verdict(outcome, user, null, eventError, 0);
    }

    /** A right app password that may not be used: the verdict names it (for the event), but does not accept it. */
    static Verdict refusedMatch(Outcome outcome, UserModel user, AppPasswordCredentialModel appPassword, String eventError) {
        return new Verdict(outcome, user, appPassword, eventError, 0);
    }

    static Verdict throttled(UserModel user, long retryAfterSeconds) {
        return new Verdict(Outcome.THROTTLED, user, null, ERROR_THROTTLED, retryAfterSeconds);
    }

    public boolean accepted() {
        return outcome == Outcome.ACCEPTED;
    }

    /**
     * No app password matched (a wrong secret, an unknown user, or a throttled source): nothing to name, and in
     * a flow where the account password is also accepted, the account password's steps may still run when
     * {@link #appPasswordShaped()} is false.
     */
    public boolean noMatch() {
        return outcome == Outcome.REJECTED || outcome == Outcome.UNKNOWN_USER || outcome == Outcome.NOT_AN_APP_PASSWORD
                || outcome == Outcome.THROTTLED;
    }

    /**
     * Whether what was typed could be an app password. A typed secret that is one must never go on to the account
     * password's steps of a direct grant, where Keycloak would count it toward the account's lockout.
     */
    public boolean appPasswordShaped() {
        return outcome != Outcome.NOT_AN_APP_PASSWORD;
    }
}
