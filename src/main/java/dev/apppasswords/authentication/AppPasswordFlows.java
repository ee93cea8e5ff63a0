package dev.apppasswords.authentication;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/**
 * Which clients accept app passwords: those whose direct grant, browser or Docker flow (the client's
 * override, or else the realm's binding) has an enabled app-password step. The admin decides this by
 * binding flows; forward-auth's {@code ?client_id=} follows the same decision.
 */
public final class AppPasswordFlows {

    private static final Set<String> APP_PASSWORD_STEPS = Set.of(
            DirectGrantAppPasswordAuthenticatorFactory.ID, BasicAuthAppPasswordAuthenticatorFactory.ID);
    private static final String DOCKER_PROTOCOL = "docker-v2";

    private AppPasswordFlows() {
    }

    public static boolean acceptedBy(RealmModel realm, ClientModel client) {
        Stream<String> flowIds = Stream.of(
                bound(client, AuthenticationFlowBindings.DIRECT_GRANT_BINDING, realm.getDirectGrantFlow()),
                bound(client, AuthenticationFlowBindings.BROWSER_BINDING, realm.getBrowserFlow()),
                DOCKER_PROTOCOL.equals(client.getProtocol()) && realm.getDockerAuthenticationFlow() != null
                        ? realm.getDockerAuthenticationFlow().getId() : null);
        return flowIds.anyMatch(id -> id != null && hasAppPasswordStep(realm, id, new HashSet<>()));
    }

    private static String bound(ClientModel client, String binding, AuthenticationFlowModel realmFlow) {
        String override = client.getAuthenticationFlowBindingOverride(binding);
        return override != null ? override : realmFlow != null ? realmFlow.getId() : null;
    }

    private static boolean hasAppPasswordStep(RealmModel realm, String flowId, Set<String> seen) {
        if (!seen.add(flowId)) {
            return false;
        }
        return realm.getAuthenticationExecutionsStream(flowId)
                .filter(execution -> execution.getRequirement() != AuthenticationExecutionModel.Requirement.DISABLED)
                .anyMatch(execution -> execution.isAuthenticatorFlow()
                        ? hasAppPasswordStep(realm, execution.getFlowId(), seen)
                        : APP_PASSWORD_STEPS.contains(execution.getAuthenticator()));
    }
}
