package dev.apppasswords.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.apppasswords.credential.AppPasswordCredentialProvider;
import dev.apppasswords.flow.AppPasswordFlows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.userprofile.ValidationException;

/**
 * A realm's app-password policy: its defaults when nothing is configured, each key parsed, numbers that cannot be
 * read falling back to the default (and refused by {@code validate} when an admin saves them), when a realm has app
 * passwords on at all, and when a new app password expires.
 */
class AppPasswordPolicyTest {

    private static final AppPasswordSettings SERVER = new AppPasswordSettings(7, 60, 10, 3600);

    private final RealmModel realm = mock(RealmModel.class);
    private final Map<String, String> config = new HashMap<>();

    @BeforeEach
    void setUp() {
        RequiredActionConfigModel model = new RequiredActionConfigModel();
        model.setAlias(AppPasswordCredentialProvider.CREATE_ACTION);
        model.setConfig(config);
        when(realm.getRequiredActionConfigByAlias(AppPasswordCredentialProvider.CREATE_ACTION)).thenReturn(model);
    }

    private AppPasswordPolicy policy() {
        return AppPasswordPolicy.of(realm, SERVER);
    }

    private static RequiredActionConfigModel saved(String key, String value) {
        RequiredActionConfigModel model = new RequiredActionConfigModel();
        model.setConfig(new HashMap<>(Map.of(key, value)));
        return model;
    }

    private void stepInAFlow(AuthenticationExecutionModel.Requirement requirement) {
        AuthenticationFlowModel flow = new AuthenticationFlowModel();
        flow.setId("direct-grant-flow");
        AuthenticationExecutionModel step = new AuthenticationExecutionModel();
        step.setAuthenticator(AppPasswordFlows.DIRECT_GRANT_STEP);
        step.setRequirement(requirement);
        when(realm.getAuthenticationFlowsStream()).thenAnswer(invocation -> Stream.of(flow));
        when(realm.getAuthenticationExecutionsStream("direct-grant-flow")).thenAnswer(invocation -> Stream.of(step));
    }

    // ---- defaults and parsing ----

    @Test
    void givenNoConfigurationAtAllThenEveryRuleHasItsDefault() {
        when(realm.getRequiredActionConfigByAlias(AppPasswordCredentialProvider.CREATE_ACTION)).thenReturn(null);

        AppPasswordPolicy policy = policy();

        assertFalse(policy.enabled(), "off until the realm is set up");
        assertEquals(7, policy.maxPerUser(), "the server's maximum");
        assertTrue(policy.creationAllowed());
        assertFalse(policy.offerAfterOtp());
        assertEquals(Constants.KC_ACTION_MAX_AGE, policy.maxAuthAgeSeconds());
        assertTrue(policy.revokeOnPasswordChange());
        assertNull(policy.maxLifetimeDays());
        assertEquals(30, policy.expiredGraceDays());
        assertEquals(30, policy.revokedRecordDays());
        assertEquals(new Eligibility(List.of(), null, false), policy.who());
        assertEquals(List.of(), policy.creationClients());
    }

    @Test
    void givenTheRequiredActionWithoutAConfigMapThenTheDefaultsApply() {
        RequiredActionConfigModel empty = new RequiredActionConfigModel();
        empty.setConfig(null);
        when(realm.getRequiredActionConfigByAlias(AppPasswordCredentialProvider.CREATE_ACTION)).thenReturn(empty);

        AppPasswordPolicy policy = policy();

        assertEquals(7, policy.maxPerUser());
        assertTrue(policy.creationAllowed());
    }

    @Test
    void givenEveryKeySetThenEachIsRead() {
        config.put(AppPasswordPolicy.CONFIG_ENABLED, "true");
        config.put(AppPasswordPolicy.CONFIG_MAX_PER_USER, " 12 ");
        config.put(AppPasswordPolicy.CONFIG_CREATION_ALLOWED, "false");
        config.put(AppPasswordPolicy.CONFIG_OFFER_AFTER_OTP, "TRUE");
        config.put(Constants.MAX_AUTH_AGE_KEY, "600");
        config.put(AppPasswordPolicy.CONFIG_REVOKE_ON_PASSWORD_CHANGE, " false ");
        config.put(AppPasswordPolicy.CONFIG_MAX_LIFETIME_DAYS, "90");
        config.put(AppPasswordPolicy.CONFIG_EXPIRED_GRACE_DAYS, "0");
        config.put(AppPasswordPolicy.CONFIG_REVOKED_RECORD_DAYS, "7");
        config.put(AppPasswordPolicy.CONFIG_ALLOWED_GROUPS, "/staff, /mail-users\n/ops,,");
        config.put(AppPasswordPolicy.CONFIG_ALLOWED_ROLE, " mail.reader ");
        config.put(AppPasswordPolicy.CONFIG_REQUIRE_SECOND_FACTOR, "true");
        config.put(AppPasswordPolicy.CONFIG_CREATION_CLIENTS, "my-tools, provisioning");

        AppPasswordPolicy policy = policy();

        assertTrue(policy.enabled());
        assertEquals(12, policy.maxPerUser());
        assertFalse(policy.creationAllowed());
        assertTrue(policy.offerAfterOtp());
        assertEquals(600, policy.maxAuthAgeSeconds());
        assertFalse(policy.revokeOnPasswordChange());
        assertEquals(90, policy.maxLifetimeDays());
        assertEquals(0, policy.expiredGraceDays(), "0 days of grace is allowed");
        assertEquals(7, policy.revokedRecordDays());
        assertEquals(new Eligibility(List.of("/staff", "/mail-users", "/ops"), "mail.reader", true), policy.who());
        assertEquals(List.of("my-tools", "provisioning"), policy.creationClients());
    }

    @Test
    void givenNumbersThatCannotBeReadThenTheDefaultsApply() {
        config.put(AppPasswordPolicy.CONFIG_MAX_PER_USER, "many");
        config.put(Constants.MAX_AUTH_AGE_KEY, "0");
        config.put(AppPasswordPolicy.CONFIG_MAX_LIFETIME_DAYS, "forever");
        config.put(AppPasswordPolicy.CONFIG_EXPIRED_GRACE_DAYS, "-1");
        config.put(AppPasswordPolicy.CONFIG_REVOKED_RECORD_DAYS, "1.5");

        AppPasswordPolicy policy = policy();

        assertEquals(7, policy.maxPerUser());
        assertEquals(Constants.KC_ACTION_MAX_AGE, policy.maxAuthAgeSeconds());
        assertNull(policy.maxLifetimeDays(), "no limit rather than a made-up one");
        assertEquals(30, policy.expiredGraceDays());
        assertEquals(30, policy.revokedRecordDays());
    }

    @Test
    void givenAMaximumBelowOneThenTheServersMaximumApplies() {
        config.put(AppPasswordPolicy.CONFIG_MAX_PER_USER, "0");
        config.put(AppPasswordPolicy.CONFIG_MAX_LIFETIME_DAYS, "0");

        assertEquals(7, policy().maxPerUser());
        assertNull(policy().maxLifetimeDays());
    }

    @Test
    void givenBlankValuesThenTheyCountAsNotSet() {
        config.put(AppPasswordPolicy.CONFIG_CREATION_ALLOWED, " ");
        config.put(AppPasswordPolicy.CONFIG_ALLOWED_ROLE, "  ");
        config.put(AppPasswordPolicy.CONFIG_ALLOWED_GROUPS, " , ");
        config.put(AppPasswordPolicy.CONFIG_MAX_LIFETIME_DAYS, " ");

        AppPasswordPolicy policy = policy();

        assertTrue(policy.creationAllowed());
        assertEquals(new Eligibility(List.of(), null, false), policy.who());
        assertNull(policy.maxLifetimeDays());
    }

    // ---- on or off ----

    @Test
    void givenNothingSetUpThenAppPasswordsAreOff() {
        assertFalse(policy().enabled());
        assertFalse(AppPasswordPolicy.setUp(realm));
    }

    @Test
    void givenTheRealmMarkedSetUpThenAppPasswordsAreOn() {
        when(realm.getAttribute(AppPasswordPolicy.REALM_SET_UP)).thenReturn("true");

        assertTrue(policy().enabled());
    }

    @Test
    void givenTheSetUpMarkNotTrueThenAppPasswordsAreOff() {
        when(realm.getAttribute(AppPasswordPolicy.REALM_SET_UP)).thenReturn("yes");

        assertFalse(policy().enabled());
    }

    @Test
    void givenAnAppPasswordStepInOneOfTheFlowsThenAppPasswordsAreOn() {
        stepInAFlow(AuthenticationExecutionModel.Requirement.ALTERNATIVE);

        assertTrue(policy().enabled());
    }

    @Test
    void givenOnlyADisabledAppPasswordStepThenAppPasswordsAreOff() {
        stepInAFlow(AuthenticationExecutionModel.Requirement.DISABLED);

        assertFalse(policy().enabled());
    }

    @Test
    void givenAnExplicitOffThenNeitherTheSetUpMarkNorAFlowStepTurnsThemOn() {
        when(realm.getAttribute(AppPasswordPolicy.REALM_SET_UP)).thenReturn("true");
        stepInAFlow(AuthenticationExecutionModel.Requirement.REQUIRED);
        config.put(AppPasswordPolicy.CONFIG_ENABLED, "false");

        assertFalse(policy().enabled());
        assertTrue(AppPasswordPolicy.switchedExplicitly(realm));
    }

    @Test
    void givenAnExplicitOnThenTheyAreOnWithoutAnySetUp() {
        config.put(AppPasswordPolicy.CONFIG_ENABLED, "true");

        assertTrue(policy().enabled());
        assertTrue(AppPasswordPolicy.switchedExplicitly(realm));
    }

    @Test
    void givenTheSwitchLeftBlankOrNoConfigThenTheAdminHasNotDecided() {
        config.put(AppPasswordPolicy.CONFIG_ENABLED, " ");
        assertFalse(AppPasswordPolicy.switchedExplicitly(realm));

        when(realm.getRequiredActionConfigByAlias(AppPasswordCredentialProvider.CREATE_ACTION)).thenReturn(null);
        assertFalse(AppPasswordPolicy.switchedExplicitly(realm));
    }

    // ---- what an admin may save ----

    @Test
    void givenNumbersInRangeOrBlankThenTheConfigurationIsAccepted() {
        AppPasswordPolicy.validate("create-app-password", saved(AppPasswordPolicy.CONFIG_MAX_PER_USER, "1"));
        AppPasswordPolicy.validate("create-app-password", saved(AppPasswordPolicy.CONFIG_EXPIRED_GRACE_DAYS, "0"));
        AppPasswordPolicy.validate("create-app-password", saved(AppPasswordPolicy.CONFIG_REVOKED_RECORD_DAYS, " 0 "));
        AppPasswordPolicy.validate("create-app-password", saved(AppPasswordPolicy.CONFIG_MAX_LIFETIME_DAYS, ""));
    }

    @Test
    void givenANumberBelowItsMinimumThenSavingIsRefusedNamingTheField() {
        for (Map.Entry<String, String> bad : Map.of(
                AppPasswordPolicy.CONFIG_MAX_PER_USER, "0",
                AppPasswordPolicy.CONFIG_MAX_LIFETIME_DAYS, "0",
                AppPasswordPolicy.CONFIG_EXPIRED_GRACE_DAYS, "-1",
                AppPasswordPolicy.CONFIG_REVOKED_RECORD_DAYS, "-5").entrySet()) {
            ValidationException refused = assertThrows(ValidationException.class,
                    () -> AppPasswordPolicy.validate("create-app-password", saved(bad.getKey(), bad.getValue())), bad.toString());
            assertTrue(refused.isAttributeOnError(bad.getKey()), bad.toString());
            assertTrue(refused.hasError("error-number-out-of-range-too-small"), bad.toString());
        }
    }

    @Test
    void givenSomethingThatIsNotANumberThenSavingIsRefusedNamingTheField() {
        for (String key : List.of(AppPasswordPolicy.CONFIG_MAX_PER_USER, AppPasswordPolicy.CONFIG_MAX_LIFETIME_DAYS,
                AppPasswordPolicy.CONFIG_EXPIRED_GRACE_DAYS, AppPasswordPolicy.CONFIG_REVOKED_RECORD_DAYS)) {
            ValidationException refused = assertThrows(ValidationException.class,
                    () -> AppPasswordPolicy.validate("create-app-password", saved(key, "ten")), key);
            assertTrue(refused.isAttributeOnError(key), key);
            assertTrue(refused.hasError("error-invalid-value"), key);
        }
    }

    @Test
    void givenTheAdminConsoleFormThenEveryKeyIsOnItAndTheServersMaximumIsItsDefault() {
        List<ProviderConfigProperty> form = AppPasswordPolicy.configProperties(7);
        Set<String> names = form.stream().map(ProviderConfigProperty::getName).collect(Collectors.toSet());

        assertTrue(names.containsAll(List.of(AppPasswordPolicy.CONFIG_ENABLED, AppPasswordPolicy.CONFIG_MAX_PER_USER,
                AppPasswordPolicy.CONFIG_CREATION_ALLOWED, AppPasswordPolicy.CONFIG_OFFER_AFTER_OTP,
                AppPasswordPolicy.CONFIG_REVOKE_ON_PASSWORD_CHANGE, AppPasswordPolicy.CONFIG_MAX_LIFETIME_DAYS,
                AppPasswordPolicy.CONFIG_EXPIRED_GRACE_DAYS, AppPasswordPolicy.CONFIG_REVOKED_RECORD_DAYS,
                AppPasswordPolicy.CONFIG_ALLOWED_GROUPS, AppPasswordPolicy.CONFIG_ALLOWED_ROLE,
                AppPasswordPolicy.CONFIG_REQUIRE_SECOND_FACTOR, AppPasswordPolicy.CONFIG_CREATION_CLIENTS,
                Constants.MAX_AUTH_AGE_KEY)), names.toString());
        assertEquals(7, form.stream().filter(p -> p.getName().equals(AppPasswordPolicy.CONFIG_MAX_PER_USER))
                .findFirst().orElseThrow().getDefaultValue());
    }

    // ---- expiry of a new app password ----

    private static AppPasswordPolicy withMaxLifetime(Integer days) {
        return new AppPasswordPolicy(true, 40, true, false, 300, true, days, 30, 30,
                new Eligibility(List.of(), null, false), List.of());
    }

    @Test
    void givenNoLimitAndNoChoiceThenANewAppPasswordNeverExpires() {
        assertNull(withMaxLifetime(null).expiresAt(null, 1_000L));
    }

    @Test
    void givenNoChoiceThenTheRealmsMaximumLifetimeApplies() {
        assertEquals(1_000L + 90 * 86_400_000L, withMaxLifetime(90).expiresAt(null, 1_000L));
    }

    @Test
    void givenAChoiceWithinTheMaximumThenTheUsersChoiceApplies() {
        assertEquals(1_000L + 30 * 86_400_000L, withMaxLifetime(90).expiresAt(30, 1_000L));
        assertEquals(1_000L + 400 * 86_400_000L, withMaxLifetime(null).expiresAt(400, 1_000L));
    }

    @Test
    void givenAChoiceBeyondTheMaximumOrBelowOneDayThenItIsRefused() {
        AppPasswordProblem tooLong = assertThrows(AppPasswordProblem.class, () -> withMaxLifetime(90).expiresAt(91, 1_000L));
        assertEquals(AppPasswordProblem.Kind.INVALID_INPUT, tooLong.kind());
        assertTrue(tooLong.getMessage().contains("90"), tooLong.getMessage());
        assertEquals(AppPasswordProblem.Kind.INVALID_INPUT,
                assertThrows(AppPasswordProblem.class, () -> withMaxLifetime(null).expiresAt(0, 1_000L)).kind());
    }
}
