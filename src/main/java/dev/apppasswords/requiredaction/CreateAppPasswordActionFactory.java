package dev.apppasswords.requiredaction;

import java.util.List;

import dev.apppasswords.credential.AppPasswordCredentialProvider;
import dev.apppasswords.service.AppPasswordPolicy;
import dev.apppasswords.service.AppPasswordSettings;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * Registers the required action {@code create-app-password} ("Create an app password"). Keycloak calls
 * {@link #getConfigMetadata()} to draw the action's configuration form in the admin console
 * (<i>Authentication → Required actions → ⚙</i>) and {@link #validateConfig} when an admin saves it; the
 * saved values are the realm policy that {@link AppPasswordPolicy} reads for the page and the REST API.
 */
public class CreateAppPasswordActionFactory implements RequiredActionFactory {

    public static final String ID = AppPasswordCredentialProvider.CREATE_ACTION;

    private volatile List<ProviderConfigProperty> configMetadata = AppPasswordPolicy.configProperties(AppPasswordSettings.DEFAULTS.maxPerUser());

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayText() {
        return "Create an app password";
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new CreateAppPasswordAction();
    }

    /**
     * Shows the server-wide maximum (an SPI option) as the form's default, so saving the form unchanged does not
     * silently replace it with 40.
     */
    @Override
    public void init(Config.Scope config) {
        configMetadata = AppPasswordPolicy.configProperties(AppPasswordSettings.fromServerConfig().maxPerUser());
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return configMetadata;
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, RequiredActionConfigModel model) {
        RequiredActionFactory.super.validateConfig(session, realm, model);
        AppPasswordPolicy.validate(ID, model);
    }

    @Override
    public void close() {
    }
}
