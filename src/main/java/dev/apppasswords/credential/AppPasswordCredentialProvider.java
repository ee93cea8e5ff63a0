package dev.apppasswords.credential;

import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Keycloak's handle on the {@code app-password} credential type. Keycloak calls it when it lists,
 * creates or removes credentials of this type (admin console, account console, realm import).
 *
 * <p>It deliberately does not implement {@code CredentialInputValidator}: Keycloak's browser login and
 * password grant ask validators for the {@code password} type only, and keeping app passwords out of
 * that path is what guarantees they are refused wherever this extension's authenticators are not used.
 */
public class AppPasswordCredentialProvider implements CredentialProvider<AppPasswordCredentialModel> {

    /** Required action that creates an app password; named here so the account console can offer it. */
    public static final String CREATE_ACTION = "create-app-password";

    private final KeycloakSession session;

    public AppPasswordCredentialProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public String getType() {
        return AppPasswordCredentialModel.TYPE;
    }

    @Override
    public CredentialModel createCredential(RealmModel realm, UserModel user, AppPasswordCredentialModel model) {
        return user.credentialManager().createStoredCredential(model);
    }

    @Override
    public boolean deleteCredential(RealmModel realm, UserModel user, String credentialId) {
        return user.credentialManager().removeStoredCredentialById(credentialId);
    }

    @Override
    public AppPasswordCredentialModel getCredentialFromModel(CredentialModel model) {
        return AppPasswordCredentialModel.fromStored(model);
    }

    @Override
    public CredentialTypeMetadata getCredentialTypeMetadata(CredentialTypeMetadataContext metadataContext) {
        return CredentialTypeMetadata.builder()
                .type(getType())
                .category(CredentialTypeMetadata.Category.BASIC_AUTHENTICATION)
                .displayName("appPasswordDisplayName")
                .helpText("appPasswordHelpText")
                .iconCssClass("kcAuthenticatorPasswordClass")
                .createAction(CREATE_ACTION)
                .removeable(true)
                .build(session);
    }
}
