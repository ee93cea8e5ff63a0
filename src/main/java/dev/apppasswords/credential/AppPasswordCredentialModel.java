package dev.apppasswords.credential;

import java.io.IOException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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

    /** JSON in SECRET_DATA: never the secret itself, only its salted hash. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class HashData {
        @JsonProperty("salt") public String salt;
        @JsonProperty("hash") public String hash;
    }

    /** JSON in CREDENTIAL_DATA: how the hash was made, so the algorithm can change later. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class HashParameters {
        @JsonProperty("algorithm") public String algorithm = SecretHash.ALGORITHM;
    }

    private SecretHash secretHash;

    public static AppPasswordCredentialModel create(String deviceName, SecretHash hash, long createdAt) {
        AppPasswordCredentialModel model = new AppPasswordCredentialModel();
        model.setType(TYPE);
        model.setUserLabel(deviceName);
        model.setCreatedDate(createdAt);
        HashData data = new HashData();
        data.salt = hash.saltBase64();
        data.hash = hash.hashBase64();
        try {
            model.setSecretData(JsonSerialization.writeValueAsString(data));
            model.setCredentialData(JsonSerialization.writeValueAsString(new HashParameters()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise app password hash", e);
        }
        model.secretHash = hash;
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

    public String deviceName() {
        return getUserLabel();
    }
}
