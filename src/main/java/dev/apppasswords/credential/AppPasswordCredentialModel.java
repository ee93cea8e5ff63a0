package dev.apppasswords.credential;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.apppasswords.secret.SecretHash;
import org.keycloak.credential.CredentialModel;
import org.keycloak.util.JsonSerialization;

/**
 * An app password as Keycloak stores it: type {@value #TYPE}, the device name as user label, the salted
 * hash as secret data. Keeping it a normal Keycloak credential is what gives realm export/import, the
 * admin console's Credentials tab, user deletion and cluster cache invalidation without extra code.
 */
public class AppPasswordCredentialModel extends CredentialModel {

    public static final String TYPE = "app-password";

    /**
     * The one name under which an app password's id travels: the user-session note of the sessions it signed in,
     * the access-token claim of their tokens, and the detail of its login and removal events.
     */
    public static final String ID_KEY = "app_password_id";

    /** JSON in SECRET_DATA: never the secret itself, only its salted hash. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class HashData {
        @JsonProperty("salt") public String salt;
        @JsonProperty("hash") public String hash;
    }

    /**
     * JSON in CREDENTIAL_DATA: how the hash was made (so the algorithm can change later) and, optionally,
     * the clients the app password is limited to and when it expires (epoch ms). The admin console's
     * <i>Credentials</i> tab shows this JSON under "Show data".
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Parameters {
        @JsonProperty("algorithm") public String algorithm = SecretHash.ALGORITHM;
        @JsonProperty("clients") public List<String> clients;
        @JsonProperty("expiresAt") public Long expiresAt;
    }

    private SecretHash secretHash;
    private Parameters parameters;

    public static AppPasswordCredentialModel create(String deviceName, SecretHash hash, long createdAt) {
        return create(deviceName, hash, createdAt, null, null);
    }

    /**
     * {@code clients}: client ids the app password is limited to, null or empty for any client;
     * {@code expiresAt}: epoch ms, or null for never.
     */
    public static AppPasswordCredentialModel create(String deviceName, SecretHash hash, long createdAt, List<String> clients,
                                                    Long expiresAt) {
        AppPasswordCredentialModel model = new AppPasswordCredentialModel();
        model.setType(TYPE);
        model.setUserLabel(deviceName);
        model.setCreatedDate(createdAt);
        HashData data = new HashData();
        data.salt = hash.saltBase64();
        data.hash = hash.hashBase64();
        try {
            model.setSecretData(JsonSerialization.writeValueAsString(data));
            Parameters parameters = new Parameters();
            parameters.clients = clients == null || clients.isEmpty() ? null : List.copyOf(clients);
            parameters.expiresAt = expiresAt;
            model.setCredentialData(JsonSerialization.writeValueAsString(parameters));
            model.parameters = parameters;
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise app password hash", e);
        }
        model.secretHash = hash;
        return model;
    }

    /** Only an id and a name, no secret: to name an app password that no longer exists (events). */
    public static AppPasswordCredentialModel named(String id, String deviceName) {
        AppPasswordCredentialModel model = new AppPasswordCredentialModel();
        model.setId(id);
        model.setType(TYPE);
        model.setUserLabel(deviceName);
        return model;
    }

    public static AppPasswordCredentialModel fromStored(CredentialModel stored) {
        AppPasswordCredentialModel model = new AppPasswordCredentialModel();
        model.setId(stored.getId());
        model.setType(stored.getType());
        model.setUserLabel(stored.getUserLabel());
        model.setCreatedDate(stored.getCreatedDate());
        model.setSecretData(stored.getSecretData());
        model.setCredentialData(stored.getCredentialData());
        model.setFederationLink(stored.getFederationLink());
        return model;
    }

    /** The stored hash; {@code null} when the secret data is unreadable (such a credential never matches). */
    public SecretHash secretHash() {
        if (secretHash == null && getSecretData() != null) {
            try {
                HashData data = JsonSerialization.readValue(getSecretData(), HashData.class);
                if (data.salt != null && data.hash != null) {
                    secretHash = SecretHash.decode(data.salt, data.hash);
                }
            } catch (IOException | IllegalArgumentException e) {
                return null;
            }
        }
        return secretHash;
    }

    /** The client ids this app password is limited to; empty when it may be used with any client. */
    public List<String> clients() {
        List<String> clients = parameters().clients;
        return clients == null ? List.of() : clients;
    }

    /** When it expires (epoch ms), or null for never. */
    public Long expiresAt() {
        return parameters().expiresAt;
    }

    public boolean isExpired(long now) {
        Long expiresAt = expiresAt();
        return expiresAt != null && expiresAt <= now;
    }

    private Parameters parameters() {
        if (parameters == null) {
            try {
                parameters = getCredentialData() == null ? new Parameters()
                        : JsonSerialization.readValue(getCredentialData(), Parameters.class);
            } catch (IOException e) {
                // Unreadable restrictions must not widen access: limit it to no client at all.
                Parameters none = new Parameters();
                none.clients = List.of("");
                parameters = none;
            }
        }
        return parameters;
    }

    /** Whether the app password may be used with this client ({@code null}: no client named). */
    public boolean usableFor(String clientId) {
        List<String> clients = clients();
        return clients.isEmpty() || (clientId != null && clients.contains(clientId));
    }
}
