package dev.apppasswords.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.apppasswords.spi.RequiredActionRegistration;
import dev.apppasswords.spi.AppPasswords;
import dev.apppasswords.service.AppPasswordPolicy;
import dev.apppasswords.service.AppPasswordProblem;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * The one-step set-up: creates the recommended flows ({@link RecommendedFlows}), binds them to the named
 * clients, turns on their direct access grants, binds the HTTP Basic flow where asked and registers the
 * required action. For mail clients it sets up the recommended (cheapest)
 * mail login: a flow of its own whose App Password step stores no session, and {@link MailLoginSetup}'s client
 * settings. Idempotent: what exists is found and left as the admin made it, so calling it twice changes nothing.
 * Every client is checked before anything changes.
 */
final class FlowSetup {

    static final String APP_PASSWORD_FIRST = "app-password-first";
    static final String USERNAME_FIRST = "username-first";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final RecommendedFlows flows;
    private final AdminPermissionEvaluator auth;

    /** {@code auth}: the caller's permissions; every client the call changes must be one the caller may manage. */
    FlowSetup(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
        this.session = session;
        this.realm = realm;
        this.flows = new RecommendedFlows(realm);
        this.auth = auth;
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
        if (!MailServerNeeds.known(request.dovecot)) {
            throw error(400, "\"dovecot\" must be \"" + MailServerNeeds.DOVECOT_23 + "\" or \"" + MailServerNeeds.DOVECOT_24 + "\".");
        }
        List<String> inBoth = mailClients.stream().filter(c -> c != null && grantClients.contains(c)).distinct().toList();
        if (!inBoth.isEmpty()) {
            throw error(400, "A client can have one direct grant flow: " + String.join(", ", inBoth)
                    + " must be in \"directGrantClients\" or in \"mailClients\", not in both.");
        }
        List<ClientModel> grant = clients(grantClients);
        List<ClientModel> basicAuth = clients(basicClients);
        List<ClientModel> mail = clients(mailClients);
        if (!mail.isEmpty() && realm.getFlowByAlias(RecommendedFlows.MAIL_FLOW) == null && realm.getAuthenticatorConfigByAlias(RecommendedFlows.MAIL_TRANSIENT_CONFIG) != null) {
            throw error(409, "An authenticator configuration named \"" + RecommendedFlows.MAIL_TRANSIENT_CONFIG
                    + "\" exists already but is not part of this set-up; rename or delete it first.");
        }

        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, String> bound = new LinkedHashMap<>();
        String signingKey = null;
        if (!grant.isEmpty() || mail.isEmpty()) { // a call naming only mail clients creates no other direct-grant flow
            AuthenticationFlowModel directGrant = APP_PASSWORD_FIRST.equals(layout) ? flows.appPasswordFirst() : flows.usernameFirst();
            for (ClientModel client : grant) {
                bound.put(client.getClientId(), bind(client, AuthenticationFlowBindings.DIRECT_GRANT_BINDING, directGrant)
                        + (client.isDirectAccessGrantsEnabled() ? "" : ", direct access grants turned on"));
                client.setDirectAccessGrantsEnabled(true);
            }
        }
        if (!mail.isEmpty()) {
            AuthenticationFlowModel mailFlow = flows.mailLogin();
            for (ClientModel client : mail) {
                bound.put(client.getClientId(), mailClient(client, mailFlow));
            }
            signingKey = MailLoginSetup.ensureHs256Key(session, realm);
        }
        if (basic.docker || !basicAuth.isEmpty()) {
            AuthenticationFlowModel basicFlow = flows.httpBasic();
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
        if (!mail.isEmpty()) {
            String baseUrl = session.getContext().getUri().getBaseUri().toString().replaceAll("/$", "");
            result.put("mailServers", mail.stream().map(client -> MailServerNeeds.of(realm, client, baseUrl, request.dovecot)).toList());
        }
        result.put("flows", flows.found());
        result.put("clients", bound);
        if (signingKey != null) {
            result.put("hs256SigningKey", signingKey);
        }
        result.put("requiredAction", RequiredActionRegistration.ensureEnabled(realm));
        // The realm is now set up: app passwords are on here unless the policy switches them off.
        realm.setAttribute(AppPasswordPolicy.REALM_SET_UP, "true");
        result.put("appPasswords", AppPasswords.of(session).policy(realm).enabled() ? "on" : "off (switched off in the realm policy)");
        return result;
    }

    private List<ClientModel> clients(List<String> clientIds) {
        List<ClientModel> clients = new ArrayList<>();
        for (String clientId : clientIds) {
            ClientModel client = clientId == null ? null : realm.getClientByClientId(clientId);
            if (client == null) {
                throw new NotFoundException(AppPasswordProblem.answer(404, "There is no client \"" + clientId + "\" in realm "
                        + realm.getName() + ". Create it first (creating clients is not part of the set-up).").build());
            }
            // Checked for every client before anything changes: a refused call changes nothing.
            auth.clients().requireManage(client);
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

    static ClientErrorException error(int status, String message) {
        Response response = AppPasswordProblem.answer(status, message).build();
        return status == 400 ? new BadRequestException(response) : new ClientErrorException(response);
    }
}
