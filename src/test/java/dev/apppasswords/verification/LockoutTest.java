package dev.apppasswords.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.Time;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserLoginFailureModel;
import org.keycloak.models.UserLoginFailureProvider;
import org.keycloak.models.UserModel;

/**
 * Whether brute-force detection has locked a user, read from the login-failure record as Keycloak's protector
 * reads it: a temporary lockout until its time has passed, a permanent one once the temporary lockouts exceed the
 * realm's maximum, and nothing at all in a realm without brute-force detection.
 */
class LockoutTest {

    private final KeycloakSession session = mock(KeycloakSession.class);
    private final RealmModel realm = mock(RealmModel.class);
    private final UserModel user = mock(UserModel.class);
    private final UserLoginFailureProvider loginFailures = mock(UserLoginFailureProvider.class);
    private final UserLoginFailureModel failure = mock(UserLoginFailureModel.class);

    @BeforeEach
    void setUp() {
        when(user.getId()).thenReturn("user-1");
        when(session.loginFailures()).thenReturn(loginFailures);
        when(realm.isBruteForceProtected()).thenReturn(true);
        when(realm.getMaxTemporaryLockouts()).thenReturn(3);
    }

    @Test
    void givenBruteForceDetectionOffThenNoFailureRecordIsReadAndNobodyIsLocked() {
        when(realm.isBruteForceProtected()).thenReturn(false);

        assertNull(Lockout.check(session, realm, user));
        verifyNoInteractions(loginFailures);
    }

    @Test
    void givenNoFailureRecordThenTheUserIsNotLocked() {
        assertNull(Lockout.check(session, realm, user));
    }

    @Test
    void givenAFailureRecordWhoseWaitIsAheadThenTheUserIsTemporarilyLocked() {
        when(loginFailures.getUserLoginFailure(realm, "user-1")).thenReturn(failure);
        when(failure.getFailedLoginNotBefore()).thenReturn(Time.currentTime() + 60);

        assertEquals(Errors.USER_TEMPORARILY_DISABLED, Lockout.check(session, realm, user));
    }

    @Test
    void givenAFailureRecordWhoseWaitHasPassedThenTheUserIsNotLocked() {
        when(loginFailures.getUserLoginFailure(realm, "user-1")).thenReturn(failure);
        when(failure.getFailedLoginNotBefore()).thenReturn(Time.currentTime() - 1);

        assertNull(Lockout.check(session, realm, user));
    }

    @Test
    void givenPermanentLockoutAndMoreTemporaryLockoutsThanAllowedThenTheUserIsDisabledWhateverTheWait() {
        when(realm.isPermanentLockout()).thenReturn(true);
        when(loginFailures.getUserLoginFailure(realm, "user-1")).thenReturn(failure);
        when(failure.getNumTemporaryLockouts()).thenReturn(4);
        when(failure.getFailedLoginNotBefore()).thenReturn(0);

        assertEquals(Errors.USER_DISABLED, Lockout.check(session, realm, user));
    }

    @Test
    void givenPermanentLockoutAndExactlyTheAllowedTemporaryLockoutsThenOnlyTheWaitCounts() {
        when(realm.isPermanentLockout()).thenReturn(true);
        when(loginFailures.getUserLoginFailure(realm, "user-1")).thenReturn(failure);
        when(failure.getNumTemporaryLockouts()).thenReturn(3);
        when(failure.getFailedLoginNotBefore()).thenReturn(0);

        assertNull(Lockout.check(session, realm, user));
    }
}
