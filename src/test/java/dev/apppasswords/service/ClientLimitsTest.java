package dev.apppasswords.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/** The clients an app password may be limited to: existing clients of the realm, at most twenty, each once. */
class ClientLimitsTest {

    private final RealmModel realm = mock(RealmModel.class);

    @BeforeEach
    void setUp() {
        when(realm.getClientByClientId(anyString())).thenAnswer(invocation -> {
            String clientId = invocation.getArgument(0);
            if (clientId.startsWith("missing")) {
                return null;
            }
            ClientModel client = mock(ClientModel.class);
            when(client.getClientId()).thenReturn(clientId);
            return client;
        });
    }

    @Test
    void givenNoClientsThenTheAppPasswordIsForAnyClient() {
        assertEquals(List.of(), ClientLimits.validate(realm, null));
        assertEquals(List.of(), ClientLimits.validate(realm, List.of()));
    }

    @Test
    void givenExistingClientsNamedTwiceThenEachIsKeptOnceInOrder() {
        assertEquals(List.of("mail", "calendar"), ClientLimits.validate(realm, List.of("mail", "calendar", "mail")));
    }

    @Test
    void givenAClientThatDoesNotExistThenItIsRefusedByName() {
        AppPasswordProblem problem = assertThrows(AppPasswordProblem.class,
                () -> ClientLimits.validate(realm, List.of("mail", "missing-app")));

        assertEquals(AppPasswordProblem.Kind.INVALID_INPUT, problem.kind());
        assertTrue(problem.getMessage().contains("\"missing-app\""), problem.getMessage());
    }

    @Test
    void givenANullClientIdThenItIsRefused() {
        assertEquals(AppPasswordProblem.Kind.INVALID_INPUT,
                assertThrows(AppPasswordProblem.class, () -> ClientLimits.validate(realm, Arrays.asList("mail", null))).kind());
    }

    @Test
    void givenMoreThanTwentyClientsThenTheListIsRefusedAndTwentyAreAccepted() {
        List<String> clients = new ArrayList<>();
        for (int i = 0; i < ClientLimits.MAX_CLIENTS; i++) {
            clients.add("client-" + i);
        }
        assertEquals(20, ClientLimits.validate(realm, clients).size());

        clients.add("one-too-many");

        assertEquals(AppPasswordProblem.Kind.INVALID_INPUT,
                assertThrows(AppPasswordProblem.class, () -> ClientLimits.validate(realm, clients)).kind());
    }
}
