package dev.apppasswords.service;

import java.util.Map;

import dev.apppasswords.credential.AppPasswordCredentialProvider;
import dev.apppasswords.credential.AppPasswordCredentialProviderFactory;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;

/**
 * A realm's rules for app passwords: the server-wide defaults from the SPI options, overridden by the
 * configuration of the realm's {@code create-app-password} required action, where admins already look.
 */
public record AppPasswordPolicy(int maxPerUser, boolean creationAllowed, int maxAuthAgeSeconds) {

    public static final String CONFIG_MAX_PER_USER = "max_app_passwords";
    public static final String CONFIG_CREATION_ALLOWED = "allow_creation";

    public static AppPasswordPolicy of(KeycloakSession session, RealmModel realm) {
        AppPasswordSettings defaults = AppPasswordCredentialProviderFactory.settings(session);
        RequiredActionConfigModel config = realm.getRequiredActionConfigByAlias(AppPasswordCredentialProvider.CREATE_ACTION);
        Map<String, String> values = config != null && config.getConfig() != null ? config.getConfig() : Map.of();
        int max = parsePositive(values.get(CONFIG_MAX_PER_USER), defaults.maxPerUser());
        boolean allowed = !"false".equalsIgnoreCase(values.getOrDefault(CONFIG_CREATION_ALLOWED, "true").strip());
        // Keycloak's own option of every required action: how recent the sign-in must be to run it.
        int maxAuthAge = parsePositive(values.get(Constants.MAX_AUTH_AGE_KEY), Constants.KC_ACTION_MAX_AGE);
        return new AppPasswordPolicy(max, allowed, maxAuthAge);
    }

    private static int parsePositive(String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            return parsed >= 1 ? parsed : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
