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
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The one-step set-up: creates the recommended flows (the same as {@code scripts/create-app-password-flow.sh},
 * same names), binds them to the named clients, turns on their direct access grants, binds the HTTP Basic
 * flow where asked and registers the required action. Idempotent: what exists is found and left as the admin
 * made it, so calling it twice changes nothing. Every client is checked before anything changes.
 */
final class FlowSetup {

    static final String APP_PASSWORD_FIRST = "app-password-first";
    static final String USERNAME_FIRST = "username-first";
    static final String BASIC_FLOW = "http basic with app passwords";

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
        List<ClientModel> grant = clients(grantClients);
        List<ClientModel> basicAuth = clients(basicClients);

        Map<String, Object> result = new LinkedHashMap<>();
        AuthenticationFlowModel directGrant = APP_PASSWORD_FIRST.equals(layout) ? appPasswordFirst() : usernameFirst();
        Map<String, String> bound = new LinkedHashMap<>();
        for (ClientModel client : grant) {
            bound.put(client.getClientId(), bind(client, AuthenticationFlowBindings.DIRECT_GRANT_BINDING, directGrant)
                    + (client.isDirectAccessGrantsEnabled() ? "" : ", direct access grants turned on"));
            client.setDirectAccessGrantsEnabled(true);
        }
        if (basic.docker || !basicAuth.isEmpty()) {
            AuthenticationFlowModel basicFlow = httpBasic();
            for (ClientModel client : basicAuth) {
                bound.put(client.getClientId(), bind(client, AuthenticationFlowBindings.BROWSER_BINDING, basicFlow));
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
            AuthenticationFlowModel password = subflow(top, "username password and OTP",
                    "Username, account password, then OTP if the user has one", Requirement.ALTERNATIVE, 20);
            step(password, "direct-grant-validate-username", Requirement.REQUIRED, 10);
            step(password, "direct-grant-validate-password", Requirement.REQUIRED, 20);
            conditionalOtp(subflow(password, "conditional OTP after app password", "OTP for users who have it", Requirement.CONDITIONAL, 30));
        });
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
