package dev.apppasswords.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import dev.apppasswords.secret.AppPasswordSecret;
import dev.apppasswords.secret.SecretHash;
import dev.apppasswords.service.AppPasswordPolicy;
import dev.apppasswords.service.Eligibility;
import dev.apppasswords.throttle.SourceThrottle;
import dev.apppasswords.usage.AppPasswordUsage;
import dev.apppasswords.usage.AppPasswordUsageEntity;
import dev.apppasswords.usage.StaleDevices;
import dev.apppasswords.usage.UsageRecorder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.common.ClientConnection;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.Errors;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SubjectCredentialManager;
import org.keycloak.models.UserLoginFailureModel;
import org.keycloak.models.UserLoginFailureProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.mockito.ArgumentCaptor;

/**
 * The one decision behind every login with an app password: the order of its checks (realm disabled → unknown
 * user → user disabled → lockout → not app-password-shaped → throttled source → match / revoked / rejected →
 * expired → switched off → not eligible → pending required action → accepted), what each refusal costs (a throttle
 * token or nothing) and what it reads, and {@code recheck} for refreshes. Keycloak's models are Mockito mocks; the
 * throttle, the remembered matches, the secrets and their hashes are the real ones.
 */
class AppPasswordVerifierTest {

    private static final String ADDRESS = "203.0.113.7";
    private static final String UNKNOWN_USER_ID = "00000000-0000-0000-0000-000000000000";

    private final KeycloakSession session = mock(KeycloakSession.class);
    private final RealmModel realm = mock(RealmModel.class);
    private final UserModel user = mock(UserModel.class);
    private final SubjectCredentialManager credentials = mock(SubjectCredentialManager.class);
    private final UserProvider users = mock(UserProvider.class);
    private final UserLoginFailureProvider loginFailures = mock(UserLoginFailureProvider.class);
    private final ClientConnection connection = mock(ClientConnection.class);
    private final ClientModel mail = mock(ClientModel.class);
    private final ClientModel shop = mock(ClientModel.class);
    private final StaleDevices staleDevices = mock(StaleDevices.class);
    private final UsageRecorder usageRecorder = mock(UsageRecorder.class);

    /** One wrong app password a minute: the second one from a source is throttled. */
    private final SourceThrottle throttle = new SourceThrottle(1);
    private final RecentMatches recentMatches = new RecentMatches();
    private final List<CredentialModel> stored = new ArrayList<>();
    private AppPasswordPolicy policy = policy(true, new Eligibility(List.of(), null, false));
    private String address = ADDRESS;

    @BeforeEach
    void setUp() {
        when(realm.isEnabled()).thenReturn(true);
        when(realm.getId()).thenReturn("realm-1");
        when(user.isEnabled()).thenReturn(true);
        when(user.getId()).thenReturn("user-1");
        when(user.credentialManager()).thenReturn(credentials);
        when(user.getRequiredActionsStream()).thenAnswer(invocation -> Stream.empty());
        when(credentials.getStoredCredentialsByTypeStream(AppPasswordCredentialModel.TYPE)).thenAnswer(invocation -> stored.stream());
        when(credentials.getStoredCredentialById(anyString())).thenAnswer(invocation -> stored.stream()
                .filter(credential -> credential.getId().equals(invocation.getArgument(0))).findFirst().orElse(null));
        when(credentials.getStoredCredentialsStream()).thenAnswer(invocation -> stored.stream());
        KeycloakContext context = mock(KeycloakContext.class);
        when(session.getContext()).thenReturn(context);
        when(context.getConnection()).thenReturn(connection);
        when(connection.getRemoteAddr()).thenAnswer(invocation -> address);
        when(session.users()).thenReturn(users);
        when(session.loginFailures()).thenReturn(loginFailures);
        when(mail.getClientId()).thenReturn("mail");
        when(shop.getClientId()).thenReturn("shop");
    }

    private AppPasswordVerifier verifier() {
        return new AppPasswordVerifier(session, r -> policy, throttle, recentMatches, staleDevices, usageRecorder);
    }

    private static AppPasswordPolicy policy(boolean enabled, Eligibility who) {
        return new AppPasswordPolicy(enabled, 40, true, false, 300, true, null, 30, 30, who, List.of());
    }

    /** Stores an app password for the user and returns its secret. */
    private AppPasswordSecret give(String id, List<String> clients, Long expiresAt) {
        AppPasswordSecret secret = AppPasswordSecret.generate();
        AppPasswordCredentialModel model = AppPasswordCredentialModel.create("Phone " + id, SecretHash.of(secret),
                Time.currentTimeMillis(), clients, expiresAt);
        model.setId(id);
        stored.add(model);
        return secret;
    }

    private AppPasswordSecret give(String id) {
        return give(id, null, null);
    }

    private Verdict login(AppPasswordSecret secret) {
        return verifier().verify(realm, user, secret.grouped(), mail);
    }

    private Verdict login(String typed) {
        return verifier().verify(realm, user, typed, mail);
    }

    private void lockTemporarily() {
        when(realm.isBruteForceProtected()).thenReturn(true);
        UserLoginFailureModel failure = mock(UserLoginFailureModel.class);
        when(failure.getFailedLoginNotBefore()).thenReturn(Time.currentTime() + 600);
        when(loginFailures.getUserLoginFailure(realm, "user-1")).thenReturn(failure);
    }

    // ---- the order of the checks and each refusal (a login with the user known) ----

    @Test
    void givenARightAppPasswordThenTheLoginIsAcceptedAndNamesIt() {
        give("ap-1");
        AppPasswordSecret secret = give("ap-2");

        Verdict verdict = login(secret);

        assertEquals(Verdict.Outcome.ACCEPTED, verdict.outcome());
        assertEquals("ap-2", verdict.appPassword().getId());
        assertSame(user, verdict.user());
        assertNull(verdict.eventError());
    }

    @Test
    void givenARightAppPasswordTypedInCapitalsWithoutSpacesThenItIsAccepted() {
        AppPasswordSecret secret = give("ap-1");

        assertEquals(Verdict.Outcome.ACCEPTED, login(secret.canonical().toUpperCase()).outcome());
    }

    @Test
    void givenTheRealmDisabledThenARightAppPasswordIsRefusedWithoutLookingAtTheUser() {
        AppPasswordSecret secret = give("ap-1");
        when(realm.isEnabled()).thenReturn(false);

        Verdict verdict = login(secret);

        assertEquals(Verdict.Outcome.REALM_DISABLED, verdict.outcome());
        assertEquals(Errors.REALM_DISABLED, verdict.eventError());
        assertNull(verdict.user());
        verifyNoInteractions(user, credentials, staleDevices);
    }

    @Test
    void givenTheUserDisabledThenARightAppPasswordIsRefusedBeforeAnySecretIsCompared() {
        AppPasswordSecret secret = give("ap-1");
        when(user.isEnabled()).thenReturn(false);
        lockTemporarily();

        Verdict verdict = login(secret);

        assertEquals(Verdict.Outcome.USER_DISABLED, verdict.outcome());
        assertEquals(Errors.USER_DISABLED, verdict.eventError());
        verifyNoInteractions(credentials, loginFailures, staleDevices);
    }

    @Test
    void givenTheUserLockedByBruteForceDetectionThenARightAppPasswordIsRefusedBeforeAnySecretIsCompared() {
        AppPasswordSecret secret = give("ap-1");
        lockTemporarily();

        Verdict verdict = login(secret);

        assertEquals(Verdict.Outcome.USER_LOCKED, verdict.outcome());
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, verdict.eventError());
        verifyNoInteractions(credentials, staleDevices);
    }

    @Test
    void givenALockoutThatHasRunOutThenARightAppPasswordIsAccepted() {
        AppPasswordSecret secret = give("ap-1");
        when(realm.isBruteForceProtected()).thenReturn(true);
        UserLoginFailureModel failure = mock(UserLoginFailureModel.class);
        when(failure.getFailedLoginNotBefore()).thenReturn(Time.currentTime() - 1);
        when(loginFailures.getUserLoginFailure(realm, "user-1")).thenReturn(failure);

        assertEquals(Verdict.Outcome.ACCEPTED, login(secret).outcome());
    }

    @Test
    void givenTheAccountPasswordThenItIsNotJudgedHashedOrChargedToTheSource() {
        give("ap-1");

        Verdict verdict = login("Main-password-1");

        assertEquals(Verdict.Outcome.NOT_AN_APP_PASSWORD, verdict.outcome());
        assertEquals(Errors.INVALID_USER_CREDENTIALS, verdict.eventError());
        verifyNoInteractions(credentials, staleDevices);
        assertEquals(Verdict.Outcome.REJECTED, login(AppPasswordSecret.generate()).outcome(),
                "the account password took no throttle token, so a wrong app password is still judged");
    }

    @Test
    void givenAWrongAppPasswordThenItIsRejectedAndTheNextFromTheSameSourceIsThrottled() {
        give("ap-1");

        Verdict first = login(AppPasswordSecret.generate());
        Verdict second = login(AppPasswordSecret.generate());

        assertEquals(Verdict.Outcome.REJECTED, first.outcome());
        assertEquals(Errors.INVALID_USER_CREDENTIALS, first.eventError());
        assertSame(user, first.user());
        assertEquals(Verdict.Outcome.THROTTLED, second.outcome());
        assertEquals(Verdict.ERROR_THROTTLED, second.eventError());
        assertTrue(second.retryAfterSeconds() > 0 && second.retryAfterSeconds() <= 60, "retry after " + second.retryAfterSeconds());
        assertSame(user, second.user());
    }

    @Test
    void givenAThrottledSourceThenARightButUnrememberedAppPasswordIsRefusedWithoutReadingStoredSecrets() {
        AppPasswordSecret secret = give("ap-1");
        login(AppPasswordSecret.generate());
        clearInvocations(credentials, staleDevices);

        Verdict verdict = login(secret);

        assertEquals(Verdict.Outcome.THROTTLED, verdict.outcome());
        verify(credentials, never()).getStoredCredentialsByTypeStream(any());
        verify(credentials, never()).getStoredCredentialById(any());
        verifyNoInteractions(staleDevices);
    }

    @Test
    void givenAThrottledSourceThenADeviceWhoseSecretMatchedBeforeStillSignsIn() {
        AppPasswordSecret secret = give("ap-1");
        assertEquals(Verdict.Outcome.ACCEPTED, login(secret).outcome());
        assertEquals(Verdict.Outcome.REJECTED, login(AppPasswordSecret.generate()).outcome());
        assertEquals(Verdict.Outcome.THROTTLED, login(AppPasswordSecret.generate()).outcome());

        Verdict verdict = login(secret);

        assertEquals(Verdict.Outcome.ACCEPTED, verdict.outcome());
        assertEquals("ap-1", verdict.appPassword().getId());
        verify(credentials, times(2)).getStoredCredentialsByTypeStream(AppPasswordCredentialModel.TYPE);
    }

    @Test
    void givenAThrottledSourceThenAnotherAddressIsStillJudged() {
        give("ap-1");
        login(AppPasswordSecret.generate());
        assertEquals(Verdict.Outcome.THROTTLED, login(AppPasswordSecret.generate()).outcome());

        address = "198.51.100.1";

        assertEquals(Verdict.Outcome.REJECTED, login(AppPasswordSecret.generate()).outcome());
    }

    @Test
    void givenAThrottledSourceThenTheSameAddressInAnotherRealmIsStillJudged() {
        give("ap-1");
        login(AppPasswordSecret.generate());
        assertEquals(Verdict.Outcome.THROTTLED, login(AppPasswordSecret.generate()).outcome());

        when(realm.getId()).thenReturn("realm-2");

        assertEquals(Verdict.Outcome.REJECTED, login(AppPasswordSecret.generate()).outcome());
    }

    @Test
    void givenARemovedAppPasswordThenItIsRefusedAsRevokedNamedNotedAndNotChargedToTheSource() {
        give("ap-1");
        AppPasswordSecret removed = AppPasswordSecret.generate();
        AppPasswordUsageEntity record = new AppPasswordUsageEntity();
        record.setCredentialId("old-1");
        record.setName("Old phone");
        when(staleDevices.recognise(eq("user-1"), any())).thenAnswer(invocation ->
                invocation.<AppPasswordSecret>getArgument(1).canonical().equals(removed.canonical()) ? record : null);

        Verdict verdict = login(removed);

        assertEquals(Verdict.Outcome.REVOKED, verdict.outcome());
        assertEquals(Verdict.ERROR_REVOKED, verdict.eventError());
        assertEquals("old-1", verdict.appPassword().getId());
        assertEquals("Old phone", verdict.appPassword().getUserLabel());
        verify(staleDevices).noteTry(eq("old-1"), anyLong(), eq(ADDRESS));
        assertEquals(Verdict.Outcome.REVOKED, login(removed).outcome(), "a stale device's retries are never throttled");
        assertEquals(Verdict.Outcome.REJECTED, login(AppPasswordSecret.generate()).outcome(), "no token was taken");
    }

    @Test
    void givenARightAppPasswordThatHasExpiredThenItIsRefusedAsExpiredAndNamed() {
        AppPasswordSecret secret = give("ap-1", null, Time.currentTimeMillis() - 1);

        Verdict verdict = login(secret);

        assertEquals(Verdict.Outcome.EXPIRED, verdict.outcome());
        assertEquals(Verdict.ERROR_EXPIRED, verdict.eventError());
        assertEquals("ap-1", verdict.appPassword().getId());
    }

    @Test
    void givenAnExpiryStillAheadThenTheAppPasswordIsAccepted() {
        AppPasswordSecret secret = give("ap-1", null, Time.currentTimeMillis() + 86_400_000L);

        assertEquals(Verdict.Outcome.ACCEPTED, login(secret).outcome());
    }

    @Test
    void givenAppPasswordsSwitchedOffInTheRealmThenARightOneIsRefusedAsFeatureOff() {
        AppPasswordSecret secret = give("ap-1");
        policy = policy(false, new Eligibility(List.of(), null, false));

        Verdict verdict = login(secret);

        assertEquals(Verdict.Outcome.FEATURE_OFF, verdict.outcome());
        assertEquals(Verdict.ERROR_FEATURE_OFF, verdict.eventError());
        assertEquals("ap-1", verdict.appPassword().getId());
    }

    @Test
    void givenAUserThePolicyNoLongerAllowsThenARightOneIsRefusedAsNotAllowed() {
        AppPasswordSecret secret = give("ap-1");
        policy = policy(true, new Eligibility(List.of(), null, true));

        Verdict verdict = login(secret);

        assertEquals(Verdict.Outcome.NOT_ALLOWED, verdict.outcome());
        assertEquals(Verdict.ERROR_NOT_ALLOWED, verdict.eventError());
        assertEquals("ap-1", verdict.appPassword().getId());
    }

    @Test
    void givenAnExpiredAppPasswordInARealmThatSwitchedThemOffThenExpiryIsCheckedFirst() {
        AppPasswordSecret secret = give("ap-1", null, Time.currentTimeMillis() - 1);
        policy = policy(false, new Eligibility(List.of(), null, true));

        assertEquals(Verdict.Outcome.EXPIRED, login(secret).outcome());
    }

    @Test
    void givenAppPasswordsSwitchedOffForAUserNotAllowedThenSwitchedOffIsReported() {
        AppPasswordSecret secret = give("ap-1");
        policy = policy(false, new Eligibility(List.of(), null, true));

        assertEquals(Verdict.Outcome.FEATURE_OFF, login(secret).outcome());
    }

    @Test
    void givenAPendingRequiredActionThenARightAppPasswordIsRefusedAsActionRequired() {
        AppPasswordSecret secret = give("ap-1");
        when(user.getRequiredActionsStream()).thenAnswer(invocation -> Stream.of(UserModel.RequiredAction.UPDATE_PASSWORD.name()));

        Verdict verdict = login(secret);

        assertEquals(Verdict.Outcome.ACTION_REQUIRED, verdict.outcome());
        assertEquals(Errors.RESOLVE_REQUIRED_ACTIONS, verdict.eventError());
    }

    @Test
    void givenAPendingRequiredActionThenAWrongAppPasswordIsStillJustRejected() {
        give("ap-1");
        when(user.getRequiredActionsStream()).thenAnswer(invocation -> Stream.of(UserModel.RequiredAction.UPDATE_PASSWORD.name()));

        assertEquals(Verdict.Outcome.REJECTED, login(AppPasswordSecret.generate()).outcome());
    }

    @Test
    void givenAPendingRequiredActionForAUserNotAllowedThenThePolicyIsReportedFirst() {
        AppPasswordSecret secret = give("ap-1");
        policy = policy(true, new Eligibility(List.of(), null, true));
        when(user.getRequiredActionsStream()).thenAnswer(invocation -> Stream.of(UserModel.RequiredAction.UPDATE_PASSWORD.name()));

        assertEquals(Verdict.Outcome.NOT_ALLOWED, login(secret).outcome());
    }

    @Test
    void givenAnAppPasswordLimitedToOneClientThenItIsAcceptedThereAndDoesNotMatchElsewhere() {
        AppPasswordSecret secret = give("ap-1", List.of("mail"), null);

        assertEquals(Verdict.Outcome.ACCEPTED, verifier().verify(realm, user, secret.grouped(), mail).outcome());
        Verdict elsewhere = verifier().verify(realm, user, secret.grouped(), shop);
        assertEquals(Verdict.Outcome.REJECTED, elsewhere.outcome());
        assertNull(elsewhere.appPassword());
    }

    @Test
    void givenAnAppPasswordLimitedToAClientAndNoClientNamedThenItDoesNotMatch() {
        AppPasswordSecret secret = give("ap-1", List.of("mail"), null);

        assertEquals(Verdict.Outcome.REJECTED, verifier().verify(realm, user, secret.grouped(), (ClientModel) null).outcome());
    }

    @Test
    void givenAStoredAppPasswordWithUnreadableSecretDataThenItNeverMatches() {
        AppPasswordCredentialModel broken = new AppPasswordCredentialModel();
        broken.setId("ap-broken");
        broken.setType(AppPasswordCredentialModel.TYPE);
        broken.setSecretData("not json");
        stored.add(broken);

        assertEquals(Verdict.Outcome.REJECTED, login(AppPasswordSecret.generate()).outcome());
    }

    @Test
    void givenTheSameDeviceAgainThenOnlyTheAppPasswordItMatchedIsReadAndHashed() {
        give("ap-1");
        AppPasswordSecret secret = give("ap-2");
        give("ap-3");

        login(secret);
        Verdict again = login(secret);

        assertEquals(Verdict.Outcome.ACCEPTED, again.outcome());
        assertEquals("ap-2", again.appPassword().getId());
        verify(credentials, times(1)).getStoredCredentialsByTypeStream(AppPasswordCredentialModel.TYPE);
        verify(credentials).getStoredCredentialById("ap-2");
    }

    @Test
    void givenARememberedAppPasswordThatWasDeletedThenItIsNotAcceptedFromMemory() {
        AppPasswordSecret secret = give("ap-1");
        assertEquals(Verdict.Outcome.ACCEPTED, login(secret).outcome());

        stored.clear();

        assertEquals(Verdict.Outcome.REJECTED, login(secret).outcome());
    }

    // ---- the username variant: unknown users cost the same as known ones ----

    @Test
    void givenAKnownUsernameThenThatUsersAppPasswordsDecide() {
        AppPasswordSecret secret = give("ap-1");
        when(users.getUserByUsername(realm, "alice")).thenReturn(user);

        Verdict verdict = verifier().verify(realm, "alice", secret.grouped(), mail);

        assertEquals(Verdict.Outcome.ACCEPTED, verdict.outcome());
        assertSame(user, verdict.user());
    }

    @Test
    void givenAnEmailAddressInARealmThatAllowsEmailLoginThenTheUserIsFoundByEmail() {
        AppPasswordSecret secret = give("ap-1");
        when(realm.isLoginWithEmailAllowed()).thenReturn(true);
        when(users.getUserByEmail(realm, "alice@example.org")).thenReturn(user);

        assertEquals(Verdict.Outcome.ACCEPTED, verifier().verify(realm, "alice@example.org", secret.grouped(), mail).outcome());
    }

    @Test
    void givenAnUnknownUsernameWithAnAppPasswordThenTheRemovedDeviceLookupRunsAndTheSourcePaysAToken() {
        give("ap-1");

        Verdict verdict = verifier().verify(realm, "ghost", AppPasswordSecret.generate().grouped(), mail);

        assertEquals(Verdict.Outcome.UNKNOWN_USER, verdict.outcome());
        assertEquals(Errors.USER_NOT_FOUND, verdict.eventError());
        assertNull(verdict.user());
        verify(staleDevices).recognise(eq(UNKNOWN_USER_ID), any());
        assertEquals(Verdict.Outcome.THROTTLED, login(AppPasswordSecret.generate()).outcome(),
                "the guess at an unknown user took the source's token");
    }

    @Test
    void givenAnUnknownUsernameWithTheAccountPasswordThenNothingIsLookedUpOrCharged() {
        give("ap-1");

        Verdict verdict = verifier().verify(realm, "ghost", "Main-password-1", mail);

        assertEquals(Verdict.Outcome.UNKNOWN_USER, verdict.outcome());
        verifyNoInteractions(staleDevices);
        assertEquals(Verdict.Outcome.REJECTED, login(AppPasswordSecret.generate()).outcome());
    }

    @Test
    void givenAnUnknownUsernameFromAThrottledSourceThenItIsThrottledWithoutTheLookup() {
        give("ap-1");
        login(AppPasswordSecret.generate());

        Verdict verdict = verifier().verify(realm, "ghost", AppPasswordSecret.generate().grouped(), mail);

        assertEquals(Verdict.Outcome.THROTTLED, verdict.outcome());
        assertNull(verdict.user());
        assertTrue(verdict.retryAfterSeconds() > 0);
        verify(staleDevices, never()).recognise(eq(UNKNOWN_USER_ID), any());
    }

    @Test
    void givenAServiceAccountsUsernameThenItIsAnUnknownUserAndItsCredentialsAreNotRead() {
        AppPasswordSecret secret = give("ap-1");
        when(users.getUserByUsername(realm, "service-account-mail")).thenReturn(user);
        when(user.getServiceAccountClientLink()).thenReturn("client-uuid");

        Verdict verdict = verifier().verify(realm, "service-account-mail", secret.grouped(), mail);

        assertEquals(Verdict.Outcome.UNKNOWN_USER, verdict.outcome());
        assertNull(verdict.user());
        verifyNoInteractions(credentials);
    }

    @Test
    void givenABlankUsernameThenNoUserIsLookedUp() {
        Verdict verdict = verifier().verify(realm, "  ", AppPasswordSecret.generate().grouped(), mail);

        assertEquals(Verdict.Outcome.UNKNOWN_USER, verdict.outcome());
        verifyNoInteractions(users);
    }

    @Test
    void givenTheRealmDisabledThenTheUsernameIsNotLookedUp() {
        when(realm.isEnabled()).thenReturn(false);

        Verdict verdict = verifier().verify(realm, "alice", AppPasswordSecret.generate().grouped(), mail);

        assertEquals(Verdict.Outcome.REALM_DISABLED, verdict.outcome());
        verifyNoInteractions(users, staleDevices);
    }

    // ---- recheck: every refresh of a session an app password signed in ----

    @Test
    void givenTheAppPasswordStillUsableThenTheRefreshIsAccepted() {
        give("ap-1", List.of("mail"), null);

        Verdict verdict = verifier().recheck(realm, user, "ap-1", mail);

        assertEquals(Verdict.Outcome.ACCEPTED, verdict.outcome());
        assertEquals("ap-1", verdict.appPassword().getId());
    }

    @Test
    void givenNoUserOrADisabledUserThenTheRefreshIsRefused() {
        give("ap-1");

        assertEquals(Verdict.Outcome.USER_DISABLED, verifier().recheck(realm, null, "ap-1", mail).outcome());
        when(user.isEnabled()).thenReturn(false);
        assertEquals(Verdict.Outcome.USER_DISABLED, verifier().recheck(realm, user, "ap-1", mail).outcome());
    }

    @Test
    void givenTheAppPasswordDeletedThenTheRefreshIsRevoked() {
        give("ap-1");

        Verdict verdict = verifier().recheck(realm, user, "ap-gone", mail);

        assertEquals(Verdict.Outcome.REVOKED, verdict.outcome());
        assertEquals(Verdict.ERROR_REVOKED, verdict.eventError());
    }

    @Test
    void givenTheIdOfAnotherKindOfCredentialThenTheRefreshIsRevoked() {
        CredentialModel password = new CredentialModel();
        password.setId("pw-1");
        password.setType(PasswordCredentialModel.TYPE);
        stored.add(password);

        assertEquals(Verdict.Outcome.REVOKED, verifier().recheck(realm, user, "pw-1", mail).outcome());
    }

    @Test
    void givenTheAppPasswordLimitedToAnotherClientThenTheRefreshIsNotForThatClient() {
        give("ap-1", List.of("mail"), null);

        Verdict verdict = verifier().recheck(realm, user, "ap-1", shop);

        assertEquals(Verdict.Outcome.NOT_FOR_CLIENT, verdict.outcome());
        assertEquals(Verdict.ERROR_NOT_FOR_CLIENT, verdict.eventError());
        assertEquals("ap-1", verdict.appPassword().getId());
    }

    @Test
    void givenTheAppPasswordExpiredSinceTheLoginThenTheRefreshIsRefusedAsExpired() {
        give("ap-1", null, Time.currentTimeMillis() - 1);

        assertEquals(Verdict.Outcome.EXPIRED, verifier().recheck(realm, user, "ap-1", mail).outcome());
    }

    @Test
    void givenAppPasswordsSwitchedOffSinceTheLoginThenTheRefreshIsRefused() {
        give("ap-1");
        policy = policy(false, new Eligibility(List.of(), null, false));

        assertEquals(Verdict.Outcome.FEATURE_OFF, verifier().recheck(realm, user, "ap-1", mail).outcome());
    }

    @Test
    void givenTheUserNoLongerAllowedThenTheRefreshIsRefused() {
        give("ap-1");
        policy = policy(true, new Eligibility(List.of(), null, true));

        assertEquals(Verdict.Outcome.NOT_ALLOWED, verifier().recheck(realm, user, "ap-1", mail).outcome());
    }

    // ---- the last-use record ----

    @Test
    void givenAnAcceptedLoginThenItsUseIsRecordedWithClientAddressNameAndHash() {
        AppPasswordSecret secret = give("ap-1");
        Verdict verdict = login(secret);

        verifier().recordUse(realm, user, verdict.appPassword(), mail);

        ArgumentCaptor<AppPasswordUsage> usage = ArgumentCaptor.forClass(AppPasswordUsage.class);
        verify(usageRecorder).record(usage.capture());
        assertEquals("ap-1", usage.getValue().credentialId());
        assertEquals("user-1", usage.getValue().userId());
        assertEquals("realm-1", usage.getValue().realmId());
        assertEquals(ADDRESS, usage.getValue().ip());
        assertEquals("mail", usage.getValue().clientId());
        assertEquals("Phone ap-1", usage.getValue().name());
        assertTrue(SecretHash.decode(usage.getValue().secretSalt(), usage.getValue().secretHash()).matches(secret),
                "the record can recognise the secret after a removal");
    }
}
