package dev.apppasswords.verification;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import org.keycloak.models.UserModel;

/**
 * What {@link AppPasswordVerifier} decided. Only {@link Outcome#ACCEPTED} carries the matching app
 * password; the other outcomes tell the caller which error event to log, never which secret was near.
 * {@code user} is null for {@link Outcome#UNKNOWN_USER} and {@link Outcome#REALM_DISABLED}.
 */
public record Verdict(Outcome outcome, UserModel user, AppPasswordCredentialModel appPassword, String eventError) {

    public enum Outcome {
        ACCEPTED, REJECTED, UNKNOWN_USER, USER_DISABLED, USER_LOCKED,
        /** The realm is disabled: nobody signs in, as at the token endpoint. */
        REALM_DISABLED,
        /** The app password is right, but the user has required actions pending ("Account is not fully set up"). */
        ACTION_REQUIRED
    }

    static Verdict accepted(UserModel user, AppPasswordCredentialModel appPassword) {
        return new Verdict(Outcome.ACCEPTED, user, appPassword, null);
    }

    static Verdict refused(Outcome outcome, UserModel user, String eventError) {
        return new Verdict(outcome, user, null, eventError);
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
