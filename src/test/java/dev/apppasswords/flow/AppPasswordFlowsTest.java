package dev.apppasswords.flow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/**
 * Which clients accept app passwords (an enabled app-password step in the client's direct-grant, browser or — for
 * Docker clients only — Docker flow, the client's override before the realm's binding, sub-flows included), and
 * whether a realm has such a step in any flow at all.
 */
class AppPasswordFlowsTest {

    private final RealmModel realm = mock(RealmModel.class);
    private final ClientModel client = mock(ClientModel.class);
    private final Map<String, List<AuthenticationExecutionModel>> executions = new HashMap<>();

    @BeforeEach
    void setUp() {
        when(realm.getAuthenticationExecutionsStream(anyString())).thenAnswer(invocation ->
                executions.getOrDefault(invocation.<String>getArgument(0), List.of()).stream());
        when(realm.getAuthenticationFlowsStream()).thenAnswer(invocation -> executions.keySet().stream().map(AppPasswordFlowsTest::flow));
        when(client.getProtocol()).thenReturn("openid-connect");
    }

    private static AuthenticationFlowModel flow(String id) {
        AuthenticationFlowModel flow = new AuthenticationFlowModel();
        flow.setId(id);
        return flow;
    }

    private static AuthenticationExecutionModel step(String authenticator, Requirement requirement) {
        AuthenticationExecutionModel execution = new AuthenticationExecutionModel();
        execution.setAuthenticator(authenticator);
        execution.setRequirement(requirement);
        return execution;
    }

    private static AuthenticationExecutionModel subFlow(String flowId, Requirement requirement) {
        AuthenticationExecutionModel execution = new AuthenticationExecutionModel();
        execution.setAuthenticatorFlow(true);
        execution.setFlowId(flowId);
        execution.setRequirement(requirement);
        return execution;
    }

    private void flowWith(String id, AuthenticationExecutionModel... steps) {
        executions.put(id, List.of(steps));
    }

    private static AuthenticationExecutionModel appPasswordStep() {
        return step(AppPasswordFlows.DIRECT_GRANT_STEP, Requirement.ALTERNATIVE);
    }

    private static AuthenticationExecutionModel usernamePassword() {
        return step("direct-grant-validate-password", Requirement.REQUIRED);
    }

    @Test
    void givenTheRealmsDirectGrantFlowWithAnAppPasswordStepThenItsClientsAcceptAppPasswords() {
        flowWith("direct grant", usernamePassword(), appPasswordStep());
        when(realm.getDirectGrantFlow()).thenReturn(flow("direct grant"));

        assertTrue(AppPasswordFlows.acceptedBy(realm, client));
    }

    @Test
    void givenTheRealmsBrowserFlowWithTheHttpBasicStepThenItsClientsAcceptAppPasswords() {
        flowWith("browser", step(AppPasswordFlows.BASIC_AUTH_STEP, Requirement.ALTERNATIVE));
        when(realm.getBrowserFlow()).thenReturn(flow("browser"));
        when(realm.getDirectGrantFlow()).thenReturn(flow("direct grant"));
        flowWith("direct grant", usernamePassword());

        assertTrue(AppPasswordFlows.acceptedBy(realm, client));
    }

    @Test
    void givenNoAppPasswordStepInTheClientsFlowsThenItDoesNotAcceptAppPasswords() {
        flowWith("direct grant", usernamePassword());
        flowWith("browser", step("auth-cookie", Requirement.ALTERNATIVE));
        when(realm.getDirectGrantFlow()).thenReturn(flow("direct grant"));
        when(realm.getBrowserFlow()).thenReturn(flow("browser"));

        assertFalse(AppPasswordFlows.acceptedBy(realm, client));
    }

    @Test
    void givenAClientOverrideWithAnAppPasswordStepThenThatClientAcceptsThemThoughTheRealmsFlowHasNone() {
        flowWith("direct grant", usernamePassword());
        flowWith("mail grant", appPasswordStep());
        when(realm.getDirectGrantFlow()).thenReturn(flow("direct grant"));
        when(client.getAuthenticationFlowBindingOverride(AuthenticationFlowBindings.DIRECT_GRANT_BINDING)).thenReturn("mail grant");

        assertTrue(AppPasswordFlows.acceptedBy(realm, client));
    }

    @Test
    void givenAClientOverrideWithoutAnAppPasswordStepThenTheRealmsFlowDoesNotCountForThatClient() {
        flowWith("direct grant", appPasswordStep());
        flowWith("plain grant", usernamePassword());
        when(realm.getDirectGrantFlow()).thenReturn(flow("direct grant"));
        when(client.getAuthenticationFlowBindingOverride(AuthenticationFlowBindings.DIRECT_GRANT_BINDING)).thenReturn("plain grant");

        assertFalse(AppPasswordFlows.acceptedBy(realm, client));
    }

    @Test
    void givenTheStepInANestedSubFlowThenTheClientAcceptsAppPasswords() {
        flowWith("direct grant", usernamePassword(), subFlow("outer", Requirement.ALTERNATIVE));
        flowWith("outer", subFlow("inner", Requirement.CONDITIONAL));
        flowWith("inner", appPasswordStep());
        when(realm.getDirectGrantFlow()).thenReturn(flow("direct grant"));

        assertTrue(AppPasswordFlows.acceptedBy(realm, client));
    }

    @Test
    void givenTheStepDisabledOrInADisabledSubFlowThenItDoesNotCount() {
        flowWith("direct grant", step(AppPasswordFlows.DIRECT_GRANT_STEP, Requirement.DISABLED),
                subFlow("switched off", Requirement.DISABLED));
        flowWith("switched off", appPasswordStep());
        when(realm.getDirectGrantFlow()).thenReturn(flow("direct grant"));

        assertFalse(AppPasswordFlows.acceptedBy(realm, client));
    }

    @Test
    void givenSubFlowsThatReferToEachOtherThenTheSearchEnds() {
        flowWith("direct grant", subFlow("a", Requirement.ALTERNATIVE));
        flowWith("a", subFlow("b", Requirement.ALTERNATIVE));
        flowWith("b", subFlow("a", Requirement.ALTERNATIVE));
        when(realm.getDirectGrantFlow()).thenReturn(flow("direct grant"));

        assertFalse(AppPasswordFlows.acceptedBy(realm, client));
    }

    @Test
    void givenTheDockerFlowWithAnAppPasswordStepThenOnlyDockerClientsAcceptAppPasswords() {
        flowWith("docker", step(AppPasswordFlows.BASIC_AUTH_STEP, Requirement.REQUIRED));
        when(realm.getDockerAuthenticationFlow()).thenReturn(flow("docker"));

        assertFalse(AppPasswordFlows.acceptedBy(realm, client), "an OpenID Connect client");
        when(client.getProtocol()).thenReturn("docker-v2");
        assertTrue(AppPasswordFlows.acceptedBy(realm, client), "a Docker registry client");
    }

    @Test
    void givenNoFlowsBoundThenNoClientAcceptsAppPasswords() {
        flowWith("unbound", appPasswordStep());
        when(client.getProtocol()).thenReturn("docker-v2");

        assertFalse(AppPasswordFlows.acceptedBy(realm, client));
    }

    @Test
    void givenAnEnabledAppPasswordStepInAnyFlowThenTheRealmUsesAppPasswords() {
        flowWith("browser", step("auth-cookie", Requirement.ALTERNATIVE));
        flowWith("unbound copy", usernamePassword(), step(AppPasswordFlows.BASIC_AUTH_STEP, Requirement.REQUIRED));

        assertTrue(AppPasswordFlows.inAnyFlow(realm));
    }

    @Test
    void givenOnlyDisabledAppPasswordStepsOrOtherStepsThenTheRealmDoesNotUseAppPasswords() {
        flowWith("browser", step("auth-cookie", Requirement.ALTERNATIVE));
        flowWith("direct grant", usernamePassword(), step(AppPasswordFlows.DIRECT_GRANT_STEP, Requirement.DISABLED));

        assertFalse(AppPasswordFlows.inAnyFlow(realm));
    }

    @Test
    void givenNoFlowsThenTheRealmDoesNotUseAppPasswords() {
        when(realm.getAuthenticationFlowsStream()).thenAnswer(invocation -> Stream.empty());

        assertFalse(AppPasswordFlows.inAnyFlow(realm));
    }
}
