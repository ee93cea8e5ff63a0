package dev.apppasswords.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.apppasswords.authentication.BasicAuthAppPasswordAuthenticatorFactory;
import dev.apppasswords.authentication.DirectGrantAppPasswordAuthenticatorFactory;
import dev.apppasswords.requiredaction.RequiredActionRegistration;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The one-step set-up: creates the recommended flows (the same as {@code scripts/create-app-password-flow.sh},
 * same names), binds them to the named clients, turns on their direct access grants, binds the HTTP Basic
 * flow where asked and registers the required action. For mail clients it sets up the recommended (cheapest)
 * mail login: a flow of its own whose App Password step stores no session, and {@link MailLoginSetup}'s client
 * settings. Idempotent: what exists is found and left as the admin made it, so calling it twice changes nothing.
 * Every client is checked before anything changes.
 */
final class FlowSetup {

    static final String APP_PASSWORD_FIRST = "app-password-first";
    static final String USERNAME_FIRST = "username-first";
    static final String BASIC_FLOW = "http basic with app passwords";
    static final String MAIL_FLOW = "direct grant app passwords for mail";
    static final String MAIL_TRANSIENT_CONFIG = MAIL_FLOW + " - transient sessions";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Map<String, String> flows = new LinkedHashMap<>();

    FlowSetup(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    Map<String, Object> apply(SetupRequest request) {
        List<String> grantClients = request.directGrantClients == null ? List.of() : request.directGrantClients;
        SetupRequest.BasicAuth basic = request.basicAuth == null ? new SetupRequest.BasicAuth() : request.basicAuth;
        List<String> basicClients = basic.clients == null ? List.of() : basic.clients;
        String layout = request.layout == null ? APP_PASSWORD_FIRST : request.layout;
        if (!APP_PASSWORD_FIRST.equals(layout) && !USERNAME_FIRST.equals(layout)) {
            throw error(400, "\"layout\" must be \"" + APP_PASSWORD_FIRST + "\" or \"" + USERNAME_FIRST + "\".");
        }
        List<String> mailClients = request.mailClients == null ? List.of() : request.mailClients;
        List<String> inBoth = mailClients.stream().filter(c -> c != null && grantClients.contains(c)).distinct().toList();
        if (!inBoth.isEmpty()) {
            throw error(400, "A client can have one direct grant flow: " + String.join(", ", inBoth)
                    + " must be in \"directGrantClients\" or in \"mailClients\", not in both.");
        }
        List<ClientModel> grant = clients(grantClients);
        List<ClientModel> basicAuth = clients(basicClients);
        List<ClientModel> mail = clients(mailClients);
        if (!mail.isEmpty() && realm.getFlowByAlias(MAIL_FLOW) == null && realm.getAuthenticatorConfigByAlias(MAIL_TRANSIENT_CONFIG) != null) {
            throw error(409, "An authenticator configuration named \"" + MAIL_TRANSIENT_CONFIG
                    + "\" exists already but is not part of this set-up; rename or delete it first.");
        }

        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, String> bound = new LinkedHashMap<>();
        String signingKey = null;
        if (!grant.isEmpty() || mail.isEmpty()) { // a call naming only mail clients creates no other direct-grant flow
            AuthenticationFlowModel directGrant = APP_PASSWORD_FIRST.equals(layout) ? appPasswordFirst() : usernameFirst();
            for (ClientModel client : grant) {
                bound.put(client.getClientId(), bind(client, AuthenticationFlowBindings.DIRECT_GRANT_BINDING, directGrant)
                        + (client.isDirectAccessGrantsEnabled() ? "" : ", direct access grants turned on"));
                client.setDirectAccessGrantsEnabled(true);
            }
        }
        if (!mail.isEmpty()) {
            AuthenticationFlowModel mailFlow = mailLogin();
            for (ClientModel client : mail) {
                bound.put(client.getClientId(), mailClient(client, mailFlow));
            }
            signingKey = MailLoginSetup.ensureHs256Key(session, realm);
        }
        if (basic.docker || !basicAuth.isEmpty()) {
            AuthenticationFlowModel basicFlow = httpBasic();
            for (ClientModel client : basicAuth) {
                bound.merge(client.getClientId(), bind(client, AuthenticationFlowBindings.BROWSER_BINDING, basicFlow), (a, b) -> a + ", " + b);
            }
            if (basic.docker) {
                boolean already = basicFlow.getId().equals(realm.getDockerAuthenticationFlow() == null ? null
                        : realm.getDockerAuthenticationFlow().getId());
                realm.setDockerAuthenticationFlow(basicFlow);
                result.put("dockerAuthenticationFlow", already ? "found" : "bound");
            }
        }
        result.put("flows", flows);
        result.put("clients", bound);
        if (signingKey != null) {
            result.put("hs256SigningKey", signingKey);
        }
        result.put("requiredAction", RequiredActionRegistration.ensureEnabled(realm));
        return result;
    }

    private List<ClientModel> clients(List<String> clientIds) {
        List<ClientModel> clients = new ArrayList<>();
        for (String clientId : clientIds) {
            ClientModel client = clientId == null ? null : realm.getClientByClientId(clientId);
            if (client == null) {
                throw new NotFoundException(Response.status(404).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(Map.of("errorMessage", "There is no client \"" + clientId + "\" in realm " + realm.getName()
                                + ". Create it first (creating clients is not part of the set-up).")).build());
            }
            clients.add(client);
        }
        return clients;
    }

    /** Binds the mail flow, turns on direct access grants, then the client settings of {@link MailLoginSetup}; says what it did. */
    private String mailClient(ClientModel client, AuthenticationFlowModel mailFlow) {
        List<String> done = new ArrayList<>();
        done.add(bind(client, AuthenticationFlowBindings.DIRECT_GRANT_BINDING, mailFlow));
        done.add(client.isDirectAccessGrantsEnabled() ? "direct access grants already on" : "direct access grants turned on");
        client.setDirectAccessGrantsEnabled(true);
        done.addAll(MailLoginSetup.configure(client));
        return String.join(", ", done);
    }

    private String bind(ClientModel client, String binding, AuthenticationFlowModel flow) {
        if (flow.getId().equals(client.getAuthenticationFlowBindingOverride(binding))) {
            return binding + " flow already bound";
        }
        client.setAuthenticationFlowBindingOverride(binding, flow.getId());
        return binding + " flow bound";
    }

    private AuthenticationFlowModel appPasswordFirst() {
        return topLevel("direct grant app password first", "An app password, or username password and OTP", top -> {
            step(top, DirectGrantAppPasswordAuthenticatorFactory.ID, Requirement.ALTERNATIVE, 10);
            passwordAndOtpAfterAppPassword(top, "username password and OTP", "conditional OTP after app password");
        });
    }

    /** The app-password-first layout whose App Password step stores no user session (sub-flow names are realm-wide, hence their own). */
    private AuthenticationFlowModel mailLogin() {
        return topLevel(MAIL_FLOW, "Mail servers' cheapest login: an app password without a stored session, or username password and OTP", top -> {
            AuthenticatorConfigModel transientSessions = new AuthenticatorConfigModel();
            transientSessions.setAlias(MAIL_TRANSIENT_CONFIG);
            transientSessions.setConfig(Map.of(DirectGrantAppPasswordAuthenticatorFactory.TRANSIENT_SESSIONS, "true"));
            transientSessions = realm.addAuthenticatorConfig(transientSessions);
            AuthenticationExecutionModel appPassword = execution(top, Requirement.ALTERNATIVE, 10);
            appPassword.setAuthenticator(DirectGrantAppPasswordAuthenticatorFactory.ID);
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

    private AuthenticationFlowModel usernameFirst() {
        return topLevel("direct grant with app passwords", "Username, then an app password, or the account password and OTP", top -> {
            step(top, "direct-grant-validate-username", Requirement.REQUIRED, 10);
            AuthenticationFlowModel either = subflow(top, "app password or password and OTP",
                    "An app password, or the account password and OTP", Requirement.REQUIRED, 20);
            step(either, DirectGrantAppPasswordAuthenticatorFactory.ID, Requirement.ALTERNATIVE, 10);
            AuthenticationFlowModel password = subflow(either, "password and OTP",
                    "The account password, then OTP if the user has one", Requirement.ALTERNATIVE, 20);
            step(password, "direct-grant-validate-password", Requirement.REQUIRED, 10);
            conditionalOtp(subflow(password, "conditional OTP", "OTP for users who have it", Requirement.CONDITIONAL, 20));
        });
    }

    private AuthenticationFlowModel httpBasic() {
        return topLevel(BASIC_FLOW, "HTTP Basic with an app password (Docker, forward-auth clients, command-line clients)",
                top -> step(top, BasicAuthAppPasswordAuthenticatorFactory.ID, Requirement.REQUIRED, 10));
    }

    private void conditionalOtp(AuthenticationFlowModel otp) {
        step(otp, "conditional-user-configured", Requirement.REQUIRED, 10);
        step(otp, "direct-grant-validate-otp", Requirement.REQUIRED, 20);
    }

    private AuthenticationFlowModel topLevel(String alias, String description, java.util.function.Consumer<AuthenticationFlowModel> steps) {
        AuthenticationFlowModel existing = realm.getFlowByAlias(alias);
        if (existing != null) {
            flows.put(alias, "found");
            return existing;
        }
        AuthenticationFlowModel top = flow(alias, description, true);
        steps.accept(top);
        flows.put(alias, "created");
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
            throw error(409, "A flow named \"" + alias + "\" exists already but is not part of this set-up; rename or delete it first.");
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

    private static ClientErrorException error(int status, String message) {
        Response response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("errorMessage", message)).build();
        return status == 400 ? new BadRequestException(response) : new ClientErrorException(response);
    }
}
