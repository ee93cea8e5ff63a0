package dev.apppasswords.flow;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/**
 * Where a realm's flows accept app passwords. The step ids live here, not in the authenticator
 * factories, so that the policy (is the realm set up?) and forward-auth (does this client accept app
 * passwords?) can ask without depending on the authenticators.
 */
public final class AppPasswordFlows {

    /** Id of the direct-grant step ("App Password"). */
    public static final String DIRECT_GRANT_STEP = "direct-grant-app-password";
    /** Id of the HTTP Basic step ("App Password (HTTP Basic)"). */
    public static final String BASIC_AUTH_STEP = "basic-auth-app-password";

    /** Configuration key of the direct-grant step: its logins store no user session. */
    public static final String TRANSIENT_SESSIONS = "transientSessions";
    /** Configuration key of the direct-grant step: logins of one app password join one session (default true). */
    public static final String SHARE_SESSION = "shareSession";

    private static final Set<String> APP_PASSWORD_STEPS = Set.of(DIRECT_GRANT_STEP, BASIC_AUTH_STEP);
    private static final String DOCKER_PROTOCOL = "docker-v2";

    private AppPasswordFlows() {
    }

    /**
     * Which clients accept app passwords: those whose direct grant, browser or Docker flow (the client's
     * override, or else the realm's binding) has an enabled app-password step. The admin decides this by
     * binding flows; forward-auth's {@code ?client_id=} follows the same decision.
     */
    public static boolean acceptedBy(RealmModel realm, ClientModel client) {
        Stream<String> flowIds = Stream.of(
                bound(client, AuthenticationFlowBindings.DIRECT_GRANT_BINDING, realm.getDirectGrantFlow()),
                bound(client, AuthenticationFlowBindings.BROWSER_BINDING, realm.getBrowserFlow()),
                DOCKER_PROTOCOL.equals(client.getProtocol()) && realm.getDockerAuthenticationFlow() != null
                        ? realm.getDockerAuthenticationFlow().getId() : null);
        return flowIds.anyMatch(id -> id != null && hasAppPasswordStep(realm, id, new HashSet<>()));
    }

    /**
     * Whether an admin put an app-password step into any of the realm's flows (by hand, kcadm, the set-up
     * endpoint or a realm import): one of the signs that the realm uses app passwords (see the policy).
     */
    public static boolean inAnyFlow(RealmModel realm) {
        return realm.getAuthenticationFlowsStream()
                .flatMap(flow -> realm.getAuthenticationExecutionsStream(flow.getId()))
                .anyMatch(execution -> !execution.isAuthenticatorFlow() && APP_PASSWORD_STEPS.contains(execution.getAuthenticator())
                        && execution.getRequirement() != AuthenticationExecutionModel.Requirement.DISABLED);
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
