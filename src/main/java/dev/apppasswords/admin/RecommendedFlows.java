package dev.apppasswords.admin;

import java.util.LinkedHashMap;
import java.util.Map;


import dev.apppasswords.flow.AppPasswordFlows;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.RealmModel;

/**
 * The recommended flows, by name, the same as {@code scripts/create-app-password-flow.sh} makes: each is found
 * when a flow of its name exists (left as the admin made it) or else created, and {@link #found} says which.
 * A flow or sub-flow name taken by anything else stops the set-up with 409.
 */
final class RecommendedFlows {

    static final String BASIC_FLOW = "http basic with app passwords";
    static final String MAIL_FLOW = "direct grant app passwords for mail";
    static final String MAIL_TRANSIENT_CONFIG = MAIL_FLOW + " - transient sessions";

    private final RealmModel realm;
    private final Map<String, String> found = new LinkedHashMap<>();

    RecommendedFlows(RealmModel realm) {
        this.realm = realm;
    }

    /** Each flow asked for so far: "found" or "created". */
    Map<String, String> found() {
        return found;
    }

    AuthenticationFlowModel appPasswordFirst() {
        return topLevel("direct grant app password first", "An app password, or username password and OTP", top -> {
            step(top, AppPasswordFlows.DIRECT_GRANT_STEP, Requirement.ALTERNATIVE, 10);
            passwordAndOtpAfterAppPassword(top, "username password and OTP", "conditional OTP after app password");
        });
    }

    /** The app-password-first layout whose App Password step stores no user session (sub-flow names are realm-wide, hence their own). */
    AuthenticationFlowModel mailLogin() {
        return topLevel(MAIL_FLOW, "Mail servers' cheapest login: an app password without a stored session, or username password and OTP", top -> {
            AuthenticatorConfigModel transientSessions = new AuthenticatorConfigModel();
            transientSessions.setAlias(MAIL_TRANSIENT_CONFIG);
            transientSessions.setConfig(Map.of(AppPasswordFlows.TRANSIENT_SESSIONS, "true"));
            transientSessions = realm.addAuthenticatorConfig(transientSessions);
            AuthenticationExecutionModel appPassword = execution(top, Requirement.ALTERNATIVE, 10);
            appPassword.setAuthenticator(AppPasswordFlows.DIRECT_GRANT_STEP);
            appPassword.setAuthenticatorConfig(transientSessions.getId());
            realm.addAuthenticatorExecution(appPassword);
            passwordAndOtpAfterAppPassword(top, "mail username password and OTP", "mail conditional OTP");
        });
    }

    private void passwordAndOtpAfterAppPassword(AuthenticationFlowModel top, String passwordAlias, String otpAlias) {
        AuthenticationFlowModel password = subflow(top, passwordAlias,
                "Username, account password, then OTP if the user has one", Requirement.ALTERNATIVE, 20);
        step(password, "direct-grant-validate-username", Requirement.REQUIRED, 10);
        step(password, "direct-grant-validate-password", Requirement.REQUIRED, 20);
        conditionalOtp(subflow(password, otpAlias, "OTP for users who have it", Requirement.CONDITIONAL, 30));
    }

    AuthenticationFlowModel usernameFirst() {
        return topLevel("direct grant with app passwords", "Username, then an app password, or the account password and OTP", top -> {
            step(top, "direct-grant-validate-username", Requirement.REQUIRED, 10);
            AuthenticationFlowModel either = subflow(top, "app password or password and OTP",
                    "An app password, or the account password and OTP", Requirement.REQUIRED, 20);
            step(either, AppPasswordFlows.DIRECT_GRANT_STEP, Requirement.ALTERNATIVE, 10);
            AuthenticationFlowModel password = subflow(either, "password and OTP",
                    "The account password, then OTP if the user has one", Requirement.ALTERNATIVE, 20);
            step(password, "direct-grant-validate-password", Requirement.REQUIRED, 10);
            conditionalOtp(subflow(password, "conditional OTP", "OTP for users who have it", Requirement.CONDITIONAL, 20));
        });
    }

    AuthenticationFlowModel httpBasic() {
        return topLevel(BASIC_FLOW, "HTTP Basic with an app password (Docker, forward-auth clients, command-line clients)",
                top -> step(top, AppPasswordFlows.BASIC_AUTH_STEP, Requirement.REQUIRED, 10));
    }

    private void conditionalOtp(AuthenticationFlowModel otp) {
        step(otp, "conditional-user-configured", Requirement.REQUIRED, 10);
        step(otp, "direct-grant-validate-otp", Requirement.REQUIRED, 20);
    }

    private AuthenticationFlowModel topLevel(String alias, String description, java.util.function.Consumer<AuthenticationFlowModel> steps) {
        AuthenticationFlowModel existing = realm.getFlowByAlias(alias);
        if (existing != null) {
            found.put(alias, "found");
            return existing;
        }
        AuthenticationFlowModel top = flow(alias, description, true);
        steps.accept(top);
        found.put(alias, "created");
        return top;
    }

    private AuthenticationFlowModel subflow(AuthenticationFlowModel parent, String alias, String description, Requirement requirement, int priority) {
        AuthenticationFlowModel child = flow(alias, description, false);
        AuthenticationExecutionModel execution = execution(parent, requirement, priority);
        execution.setAuthenticatorFlow(true);
        execution.setFlowId(child.getId());
        realm.addAuthenticatorExecution(execution);
        return child;
    }

    private void step(AuthenticationFlowModel parent, String authenticator, Requirement requirement, int priority) {
        AuthenticationExecutionModel execution = execution(parent, requirement, priority);
        execution.setAuthenticator(authenticator);
        realm.addAuthenticatorExecution(execution);
    }

    private AuthenticationFlowModel flow(String alias, String description, boolean topLevel) {
        if (realm.getFlowByAlias(alias) != null) {
            throw FlowSetup.error(409, "A flow named \"" + alias + "\" exists already but is not part of this set-up; rename or delete it first.");
        }
        AuthenticationFlowModel flow = new AuthenticationFlowModel();
        flow.setAlias(alias);
        flow.setDescription(description);
        flow.setProviderId("basic-flow");
        flow.setTopLevel(topLevel);
        flow.setBuiltIn(false);
        return realm.addAuthenticationFlow(flow);
    }

    private static AuthenticationExecutionModel execution(AuthenticationFlowModel parent, Requirement requirement, int priority) {
        AuthenticationExecutionModel execution = new AuthenticationExecutionModel();
        execution.setParentFlow(parent.getId());
        execution.setRequirement(requirement);
        execution.setPriority(priority);
        execution.setAuthenticatorFlow(false);
        return execution;
    }

}
