package dev.apppasswords.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What a refusal lets the direct-grant step do next: only something that is not shaped like an app password may
 * go on to the account password's steps, where Keycloak counts failures toward the lockout.
 */
class VerdictTest {

    @Test
    void givenTheAccountPasswordThenTheAccountPasswordStepsMayJudgeIt() {
        Verdict verdict = Verdict.refused(Verdict.Outcome.NOT_AN_APP_PASSWORD, null, "invalid_user_credentials");
        assertTrue(verdict.noMatch());
        assertFalse(verdict.appPasswordShaped());
    }

    @Test
    void givenAWrongAppPasswordThenItNeverReachesThePasswordStep() {
        Verdict verdict = Verdict.refused(Verdict.Outcome.REJECTED, null, "invalid_user_credentials");
        assertTrue(verdict.noMatch());
        assertTrue(verdict.appPasswordShaped());
    }

    @Test
    void givenAThrottledSourceThenItIsNoMatchShapedLikeAnAppPasswordWithItsWait() {
        Verdict verdict = Verdict.throttled(null, 6);
        assertTrue(verdict.noMatch());
        assertTrue(verdict.appPasswordShaped());
        assertEquals(6, verdict.retryAfterSeconds());
        assertEquals(Verdict.ERROR_THROTTLED, verdict.eventError());
    }

    @Test
    void givenARightAppPasswordThatMayNotBeUsedThenItIsNotANoMatch() {
        for (Verdict.Outcome outcome : new Verdict.Outcome[] {Verdict.Outcome.EXPIRED, Verdict.Outcome.FEATURE_OFF,
                Verdict.Outcome.NOT_ALLOWED, Verdict.Outcome.REVOKED, Verdict.Outcome.NOT_FOR_CLIENT}) {
            assertFalse(Verdict.refused(outcome, null, "x").noMatch(), outcome.name());
            assertFalse(Verdict.refused(outcome, null, "x").accepted(), outcome.name());
        }
    }
}
