package dev.apppasswords.service;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.apppasswords.credential.AppPasswordCredentialProvider;
import dev.apppasswords.flow.AppPasswordFlows;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.validate.ValidationError;

/**
 * A realm's rules for app passwords, in one typed home: the keys, the admin console's form for them
 * ({@link #configProperties}), their checks ({@link #validate}) and their parsing ({@link #of}). They live
 * in the configuration of the realm's {@code create-app-password} required action (<i>Authentication →
 * Required actions → ⚙</i>), where admins already look; server-wide defaults come from the SPI options.
 *
 * @param enabled                app passwords work in this realm at all; off stops existing ones, deleting nothing
 * @param maxPerUser             most app passwords one user may hold
 * @param creationAllowed        users may create new ones
 * @param offerAfterOtp          offer one right after a user sets up OTP
 * @param maxAuthAgeSeconds      how recent the sign-in must be to create one (Keycloak's own option)
 * @param revokeOnPasswordChange a changed or reset account password revokes all of the user's app passwords
 * @param maxLifetimeDays        most days an app password may live; null for no limit
 * @param expiredGraceDays       days an expired app password is still listed (as expired) before it is removed
 * @param revokedRecordDays      days a removed app password is remembered to recognise stale devices
 * @param who                    who may have app passwords at all
 * @param creationClients        clients besides the account console whose tokens may create app passwords over REST
 */
public record AppPasswordPolicy(boolean enabled, int maxPerUser, boolean creationAllowed, boolean offerAfterOtp,
                                int maxAuthAgeSeconds, boolean revokeOnPasswordChange, Integer maxLifetimeDays,
                                int expiredGraceDays, int revokedRecordDays, Eligibility who, List<String> creationClients) {

    public static final String CONFIG_ENABLED = "app_passwords_enabled";
    public static final String CONFIG_MAX_PER_USER = "max_app_passwords";
    public static final String CONFIG_CREATION_ALLOWED = "allow_creation";
    public static final String CONFIG_OFFER_AFTER_OTP = "offer_after_otp";
    public static final String CONFIG_REVOKE_ON_PASSWORD_CHANGE = "revoke_on_password_change";
    public static final String CONFIG_MAX_LIFETIME_DAYS = "max_lifetime_days";
    public static final String CONFIG_EXPIRED_GRACE_DAYS = "expired_grace_days";
    public static final String CONFIG_REVOKED_RECORD_DAYS = "revoked_record_days";
    public static final String CONFIG_ALLOWED_GROUPS = "allowed_groups";
    public static final String CONFIG_ALLOWED_ROLE = "allowed_role";
    public static final String CONFIG_REQUIRE_SECOND_FACTOR = "require_second_factor";
    public static final String CONFIG_CREATION_CLIENTS = "creation_clients";

    /**
     * Realm attribute written by the set-up endpoint and by the upgrade to 1.0 (for realms that held app
     * passwords before): the realm's admin has set app passwords up, so they are on unless switched off.
     */
    public static final String REALM_SET_UP = "app-passwords.set-up";

    static final int DEFAULT_EXPIRED_GRACE_DAYS = 30;
    static final int DEFAULT_REVOKED_RECORD_DAYS = 30;

    /** Where the policy of a realm comes from: the extension's provider, or a fixed one in a unit test. */
    @FunctionalInterface
    public interface Source {
        AppPasswordPolicy of(RealmModel realm);
    }

    /** The realm's policy; {@code defaults} are the server's settings (SPI options). */
    public static AppPasswordPolicy of(RealmModel realm, AppPasswordSettings defaults) {
        RequiredActionConfigModel config = realm.getRequiredActionConfigByAlias(AppPasswordCredentialProvider.CREATE_ACTION);
        Map<String, String> values = config != null && config.getConfig() != null ? config.getConfig() : Map.of();
        return new AppPasswordPolicy(
                enabled(values, realm),
                positive(values.get(CONFIG_MAX_PER_USER), defaults.maxPerUser()),
                flag(values, CONFIG_CREATION_ALLOWED, true),
                flag(values, CONFIG_OFFER_AFTER_OTP, false),
                positive(values.get(Constants.MAX_AUTH_AGE_KEY), Constants.KC_ACTION_MAX_AGE),
                flag(values, CONFIG_REVOKE_ON_PASSWORD_CHANGE, true),
                values.get(CONFIG_MAX_LIFETIME_DAYS) == null || values.get(CONFIG_MAX_LIFETIME_DAYS).isBlank()
                        ? null : positive(values.get(CONFIG_MAX_LIFETIME_DAYS), null),
                nonNegative(values.get(CONFIG_EXPIRED_GRACE_DAYS), DEFAULT_EXPIRED_GRACE_DAYS),
                nonNegative(values.get(CONFIG_REVOKED_RECORD_DAYS), DEFAULT_REVOKED_RECORD_DAYS),
                new Eligibility(list(values.get(CONFIG_ALLOWED_GROUPS)), blankToNull(values.get(CONFIG_ALLOWED_ROLE)),
                        flag(values, CONFIG_REQUIRE_SECOND_FACTOR, false)),
                list(values.get(CONFIG_CREATION_CLIENTS)));
    }

    /**
     * Off until an admin turns it on: a realm has app passwords when its admin switched them on in the policy,
     * ran the set-up endpoint, or put an app-password step into one of its flows. An explicit "off" in the
     * policy wins over all of these. So installing the jar for one realm opens no single-factor door in the others.
     */
    public static boolean setUp(RealmModel realm) {
        return Boolean.parseBoolean(realm.getAttribute(REALM_SET_UP)) || AppPasswordFlows.inAnyFlow(realm);
    }

    /** Whether the realm's admin decided either way in the policy (then neither set-up nor flows change it). */
    public static boolean switchedExplicitly(RealmModel realm) {
        RequiredActionConfigModel config = realm.getRequiredActionConfigByAlias(AppPasswordCredentialProvider.CREATE_ACTION);
        String value = config == null ? null : config.getConfigValue(CONFIG_ENABLED);
        return value != null && !value.isBlank();
    }

    /**
     * Why a token of this client may not create app passwords over REST, or null when it may. Keycloak itself
     * creates credentials only in the browser after a fresh sign-in; an app password is a lasting single-factor
     * key, so only the account console (whose page runs in the browser) and clients the admin names may mint one,
     * not any application of the realm that happens to hold a {@code manage-account} token.
     */
    public String creationRefusal(String clientId) {
        if (clientId != null && (ACCOUNT_CONSOLE.equals(clientId) || creationClients.contains(clientId))) {
            return null;
        }
        return "App passwords are created in the account console. Client \"" + clientId + "\" may not create them; "
                + "a realm admin can allow it in the app-password policy (" + CONFIG_CREATION_CLIENTS + ").";
    }

    private static final String ACCOUNT_CONSOLE = "account-console";

    /** The admin console's form; {@code defaultMax} is the server-wide maximum, shown so saving unchanged keeps it. */
    public static List<ProviderConfigProperty> configProperties(int defaultMax) {
        List<ProviderConfigProperty> own = ProviderConfigurationBuilder.create()
                .property().name(CONFIG_ENABLED).label("App passwords work in this realm")
                .helpText("Off: no app password signs anyone in (nothing is deleted; switching back on restores them) and none can be created. "
                        + "Not set: on once the realm is set up (set-up endpoint, or an app-password step in one of its flows), else off.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(true).add()
                .property().name(CONFIG_MAX_PER_USER).label("Maximum app passwords per user")
                .helpText("Most app passwords one user may hold. Applies to the account console page and to the REST API.")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(defaultMax).add()
                .property().name(CONFIG_CREATION_ALLOWED).label("Users may create app passwords")
                .helpText("Off: nobody can create new app passwords (existing ones keep working and can still be deleted).")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(true).add()
                .property().name(CONFIG_OFFER_AFTER_OTP).label("Offer an app password right after the user sets up OTP")
                .helpText("Users who have OTP but no app password are shown this page once, at their next browser sign-in.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false).add()
                .property().name(CONFIG_REVOKE_ON_PASSWORD_CHANGE).label("Revoke app passwords when the password changes")
                .helpText("A changed or reset account password (by the user, an admin or 'forgot password') deletes all of the user's "
                        + "app passwords and ends their sessions, as the big mail providers do.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(true).add()
                .property().name(CONFIG_MAX_LIFETIME_DAYS).label("Maximum lifetime (days)")
                .helpText("Empty: app passwords never expire unless the user picks an expiry. A number: every new app password "
                        + "expires after at most this many days.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(CONFIG_EXPIRED_GRACE_DAYS).label("Keep expired app passwords listed (days)")
                .helpText("An expired app password stops working at once; it stays listed as expired for this many days, then it is removed.")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(DEFAULT_EXPIRED_GRACE_DAYS).add()
                .property().name(CONFIG_REVOKED_RECORD_DAYS).label("Recognise removed app passwords (days)")
                .helpText("A device that still sends a removed app password is refused as such (event error app_password_revoked, "
                        + "shown to the user and the admin) and not counted as a failed login, for this many days after the removal.")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(DEFAULT_REVOKED_RECORD_DAYS).add()
                .property().name(CONFIG_ALLOWED_GROUPS).label("Only members of these groups")
                .helpText("Comma-separated group paths (e.g. /staff, /mail-users). Empty: everyone. Members of subgroups count. "
                        + "Users outside cannot create app passwords and their existing ones stop working (nothing is deleted).")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(CONFIG_ALLOWED_ROLE).label("Only holders of this role")
                .helpText("A realm role (e.g. app-passwords) or a client role as client-id.role. Empty: everyone.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(CONFIG_REQUIRE_SECOND_FACTOR).label("Only users with a second factor")
                .helpText("On: only users who have OTP or a security key configured may have app passwords.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false).add()
                .property().name(CONFIG_CREATION_CLIENTS).label("Clients that may create app passwords over REST")
                .helpText("Comma-separated client ids whose users' tokens may create app passwords with POST /realms/{realm}/app-passwords, "
                        + "besides the account console. Empty: only the account console and the page of the required action.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .build();
        return Stream.concat(own.stream(), RequiredActionFactory.MAX_AUTH_AGE_CONFIG_PROPERTIES.stream()).toList();
    }

    /** Refuses, with the field named, what {@link #of} would otherwise silently replace by a default. */
    public static void validate(String actionId, RequiredActionConfigModel model) {
        requireNumber(actionId, model, CONFIG_MAX_PER_USER, 1);
        requireNumber(actionId, model, CONFIG_MAX_LIFETIME_DAYS, 1);
        requireNumber(actionId, model, CONFIG_EXPIRED_GRACE_DAYS, 0);
        requireNumber(actionId, model, CONFIG_REVOKED_RECORD_DAYS, 0);
    }

    /** When a new app password expires (epoch ms), or null; {@code requestedDays} is the user's choice, if any. */
    public Long expiresAt(Integer requestedDays, long now) {
        if (requestedDays != null && requestedDays < 1) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT, "\"expiresInDays\" must be at least 1.");
        }
        if (requestedDays != null && maxLifetimeDays != null && requestedDays > maxLifetimeDays) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT,
                    "App passwords in this realm live at most " + maxLifetimeDays + " days: pick " + maxLifetimeDays + " or fewer.");
        }
        Integer days = requestedDays != null ? requestedDays : maxLifetimeDays;
        return days == null ? null : now + days * 86_400_000L;
    }

    private static void requireNumber(String actionId, RequiredActionConfigModel model, String key, int min) {
        String value = model.getConfigValue(key);
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            if (Integer.parseInt(value.strip()) < min) {
                throw new ValidationException(new ValidationError(actionId, key, "error-number-out-of-range-too-small", min));
            }
        } catch (NumberFormatException e) {
            throw new ValidationException(new ValidationError(actionId, key, "error-invalid-value"));
        }
    }

    /** The explicit switch when the policy has one; only otherwise the signs of a set-up (which scan the realm's flows). */
    private static boolean enabled(Map<String, String> values, RealmModel realm) {
        String value = values.get(CONFIG_ENABLED);
        return value == null || value.isBlank() ? setUp(realm) : Boolean.parseBoolean(value.strip());
    }

    private static boolean flag(Map<String, String> values, String key, boolean fallback) {
        String value = values.get(key);
        return value == null || value.isBlank() ? fallback : Boolean.parseBoolean(value.strip());
    }

    private static Integer positive(String value, Integer fallback) {
        Integer parsed = number(value);
        return parsed != null && parsed >= 1 ? parsed : fallback;
    }

    private static int nonNegative(String value, int fallback) {
        Integer parsed = number(value);
        return parsed != null && parsed >= 0 ? parsed : fallback;
    }

    private static Integer number(String value) {
        try {
            return value == null || value.isBlank() ? null : Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<String> list(String value) {
        return value == null ? List.of() : Arrays.stream(value.split("[,\\n]")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
