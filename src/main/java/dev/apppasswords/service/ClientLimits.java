package dev.apppasswords.service;

import java.util.LinkedHashSet;
import java.util.List;

import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/** Checks the clients an app password is to be limited to: existing clients of the realm, a short list. */
final class ClientLimits {

    static final int MAX_CLIENTS = 20;

    private ClientLimits() {
    }

    static List<String> validate(RealmModel realm, List<String> clientIds) {
        if (clientIds == null || clientIds.isEmpty()) {
            return List.of();
        }
        if (clientIds.size() > MAX_CLIENTS) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT,
                    "An app password can be limited to at most " + MAX_CLIENTS + " clients.");
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String clientId : clientIds) {
            ClientModel client = clientId == null ? null : realm.getClientByClientId(clientId);
            if (client == null) {
                throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT,
                        "There is no client \"" + clientId + "\" in this realm.");
            }
            unique.add(client.getClientId());
        }
        return List.copyOf(unique);
    }
}
