package dev.apppasswords.requiredaction;

import java.util.List;
import java.util.stream.Stream;

import dev.apppasswords.credential.AppPasswordCredentialProvider;
import dev.apppasswords.credential.AppPasswordCredentialProviderFactory;
import dev.apppasswords.service.AppPasswordPolicy;
import dev.apppasswords.service.AppPasswordSettings;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.validate.ValidationError;

/**
 * Registers the required action {@code create-app-password} ("Create an app password"). Keycloak calls
 * {@link #getConfigMetadata()} to draw the action's configuration form in the admin console
 * (<i>Authentication → Required actions → ⚙</i>) and {@link #validateConfig} when an admin saves it; the
 * saved values are the realm policy that {@link AppPasswordPolicy} reads for the page and the REST API.
 */
public class CreateAppPasswordActionFactory implements RequiredActionFactory {

    public static final String ID = AppPasswordCredentialProvider.CREATE_ACTION;
    /** "Offer an app password right after the user sets up OTP". */
    public static final String CONFIG_OFFER_AFTER_OTP = "offer_after_otp";

    private volatile List<ProviderConfigProperty> configMetadata = metadata(AppPasswordSettings.DEFAULTS.maxPerUser());

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

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // Show the server-wide maximum (an SPI option of the credential provider) as the form's default, so
        // saving the form unchanged does not silently replace it with 40.
        if (factory.getProviderFactory(CredentialProvider.class, AppPasswordCredentialProviderFactory.ID)
                instanceof AppPasswordCredentialProviderFactory credentials) {
            configMetadata = metadata(credentials.settings().maxPerUser());
        }
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return configMetadata;
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, RequiredActionConfigModel model) {
        RequiredActionFactory.super.validateConfig(session, realm, model);
        String max = model.getConfigValue(AppPasswordPolicy.CONFIG_MAX_PER_USER);
        if (max == null || max.isBlank()) {
            return;
        }
        try {
            if (Integer.parseInt(max.strip()) < 1) {
                throw new ValidationException(new ValidationError(ID, AppPasswordPolicy.CONFIG_MAX_PER_USER,
                        "error-number-out-of-range-too-small", 1));
            }
        } catch (NumberFormatException e) {
            throw new ValidationException(new ValidationError(ID, AppPasswordPolicy.CONFIG_MAX_PER_USER, "error-invalid-value"));
        }
    }

    private static List<ProviderConfigProperty> metadata(int defaultMax) {
        List<ProviderConfigProperty> own = ProviderConfigurationBuilder.create()
                .property().name(AppPasswordPolicy.CONFIG_MAX_PER_USER)
                .label("Maximum app passwords per user")
                .helpText("Most app passwords one user may hold. Applies to the account console page and to the REST API.")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(defaultMax).add()
                .property().name(AppPasswordPolicy.CONFIG_CREATION_ALLOWED)
                .label("Users may create app passwords")
                .helpText("Off: nobody can create new app passwords (existing ones keep working and can still be deleted).")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(true).add()
                .property().name(CONFIG_OFFER_AFTER_OTP)
                .label("Offer an app password right after the user sets up OTP")
                .helpText("Users who have OTP but no app password are shown this page once, at their next browser sign-in.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false).add()
                .build();
        return Stream.concat(own.stream(), RequiredActionFactory.MAX_AUTH_AGE_CONFIG_PROPERTIES.stream()).toList();
    }

    @Override
    public void close() {
    }
}
