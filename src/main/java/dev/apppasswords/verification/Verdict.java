package dev.apppasswords.verification;

import dev.apppasswords.credential.AppPasswordCredentialModel;

/**
 * What {@link AppPasswordVerifier} decided. Only {@link Outcome#ACCEPTED} carries the matching app
 * password; the other outcomes tell the caller which error event to log, never which secret was near.
 */
public record Verdict(Outcome outcome, AppPasswordCredentialModel appPassword, String eventError) {

    public enum Outcome { ACCEPTED, REJECTED, USER_DISABLED, USER_LOCKED }

    static Verdict accepted(AppPasswordCredentialModel appPassword) {
        return new Verdict(Outcome.ACCEPTED, appPassword, null);
    }

    static Verdict refused(Outcome outcome, String eventError) {
        return new Verdict(outcome, null, eventError);
    }

    public boolean accepted() {
        return outcome == Outcome.ACCEPTED;
    }

    /** A wrong secret, as opposed to a user who may not log in at all; only this should count for brute force. */
    public boolean wrongSecret() {
        return outcome == Outcome.REJECTED;
    }
}
