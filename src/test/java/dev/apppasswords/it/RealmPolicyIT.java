package dev.apppasswords.it;

import java.util.Map;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The realm policy on the configuration of the required action {@code create-app-password}, as the REST
 * resource and Keycloak's admin and account REST APIs see it. The page itself is driven by a real browser
 * in {@link AccountConsoleBrowserIT}.
 */
class RealmPolicyIT extends RealmIT {

    @Override
    protected String realmPrefix() {
        return "policy";
    }

    @Test
    void realmImportRegistersTheActionNextToKeycloaksOwn() {
        JsonNode actions = keycloak.adminGet("/" + realm.name() + "/authentication/required-actions").json();
        JsonNode ours = find(actions, "create-app-password");
        assertNotNull(ours, actions.toString());
        assertEquals("Create an app password", ours.get("name").asText());
        assertTrue(ours.get("enabled").asBoolean());
        // Listing our action in the import must not drop Keycloak's defaults: the account console deletes through delete_credential.
        assertNotNull(find(actions, "delete_credential"), actions.toString());
        assertNotNull(find(actions, "CONFIGURE_TOTP"), actions.toString());
    }

    /** The README's demo realm: it must import and offer the page, next to Keycloak's own actions. */
    @Test
    void demoRealmImportsWithTheAction() throws Exception {
        String json = java.nio.file.Files.readString(java.nio.file.Path.of("demo/demo-realm.json"));
        assertEquals(201, keycloak.adminJson("POST", "", json).status());
        try {
            JsonNode actions = keycloak.adminGet("/demo/authentication/required-actions").json();
            assertTrue(find(actions, "create-app-password").get("enabled").asBoolean(), actions.toString());
            assertNotNull(find(actions, "delete_credential"), actions.toString());
        } finally {
            keycloak.adminDelete("/demo");
        }
    }

    @Test
    void configurationFormOffersThePolicyOptions() {
        JsonNode description = keycloak.adminGet("/" + realm.name() + "/authentication/required-actions/create-app-password/config-description").json();
        String text = description.toString();
        assertTrue(text.contains("\"max_app_passwords\""), text);
        assertTrue(text.contains("\"allow_creation\""), text);
        assertTrue(text.contains("\"offer_after_otp\""), text);
        assertTrue(text.contains("\"defaultValue\":40"), "server default shown: " + text);
    }

    @Test
    void invalidMaximumIsRefused() {
        assertEquals(400, realm.configureAppPasswordAction(Map.of("max_app_passwords", "0")).status());
        assertEquals(400, realm.configureAppPasswordAction(Map.of("max_app_passwords", "many")).status());
    }

    @Test
    void restResourceObeysTheConfiguredMaximumAndTheCreationSwitch() {
        realm.createUser("max", "Max-password-1");
        String token = realm.userToken("max", "Max-password-1", null);
        try {
            assertEquals(204, realm.configureAppPasswordAction(Map.of("max_app_passwords", "2")).status());
            String first = realm.newAppPassword(token, "One").get("id").asText();
            realm.newAppPassword(token, "Two");
            Http.Response third = realm.createAppPassword(token, Map.of("name", "Three"));
            assertEquals(409, third.status(), third.body());
            assertTrue(third.json().get("errorMessage").asText().contains("the most allowed is 2"), third.body());

            assertEquals(204, realm.configureAppPasswordAction(Map.of("allow_creation", "false")).status());
            assertEquals(204, realm.deleteAppPassword(token, first).status(), "deleting stays possible");
            Http.Response refused = realm.createAppPassword(token, Map.of("name", "Three"));
            assertEquals(403, refused.status(), refused.body());
            assertEquals("Creating app passwords is turned off in this realm. Ask your administrator.",
                    refused.json().get("errorMessage").asText());
            assertEquals(200, realm.listAppPasswords(token).status());
            assertEquals(1, realm.listAppPasswords(token).json().size());

            assertEquals(204, realm.configureAppPasswordAction(Map.of("allow_creation", "true")).status());
            assertEquals(201, realm.createAppPassword(token, Map.of("name", "Three")).status());
        } finally {
            realm.configureAppPasswordAction(Map.of());
        }
    }

    @Test
    void accountRestApiListsAppPasswordsWithTheirNameAndSetUpAction() {
        String token = realm.userToken();
        realm.newAppPassword(token, "Tablet");
        JsonNode types = keycloak.http().get(realm.url("/account/credentials"),
                Map.of("Authorization", "Bearer " + token, "Accept", "application/json")).json();
        JsonNode appPasswords = StreamSupport.stream(types.spliterator(), false)
                .filter(t -> "app-password".equals(t.get("type").asText())).findFirst().orElse(null);
        assertNotNull(appPasswords, types.toString());
        assertEquals("create-app-password", appPasswords.get("createAction").asText());
        assertTrue(appPasswords.get("removeable").asBoolean());
        assertEquals("appPasswordDisplayName", appPasswords.get("displayName").asText());
        JsonNode credential = appPasswords.get("userCredentialMetadatas").get(0).get("credential");
        assertEquals("Tablet", credential.get("userLabel").asText());
        assertTrue(credential.get("createdDate").asLong() > 0);
        assertTrue(!credential.has("secretData") || credential.get("secretData").isNull(), "no secret: " + credential);
    }

    @Test
    void accountConsoleGetsTheMessagesFromTheProviderJar() {
        String en = keycloak.http().get(keycloak.baseUrl() + "/resources/" + realm.name() + "/account/en", Map.of()).body();
        assertTrue(en.contains("\"appPasswordDisplayName\"") && en.contains("\"App passwords\""), en);
        assertTrue(en.contains("\"app-password-display-name\""), en);
        String de = keycloak.http().get(keycloak.baseUrl() + "/resources/" + realm.name() + "/account/de", Map.of()).body();
        assertTrue(de.contains("App-Passw\u00f6rter"), de);
    }

    @Test
    void offerAfterOtpNeverBlocksDirectGrants() {
        try {
            String token = realm.userToken();
            realm.listAppPasswords(token).json().forEach(p -> realm.deleteAppPassword(token, p.get("id").asText()));
            assertEquals(204, realm.configureAppPasswordAction(Map.of("offer_after_otp", "true")).status());
            // Alice has OTP and no app password, so the offer is due: her grants must still succeed, twice.
            for (int i = 0; i < 2; i++) {
                // Keycloak's brute-force bookkeeping of the previous login runs asynchronously; a login
                // overlapping it is refused with user_temporarily_disabled: retried until that bookkeeping is done.
                Http.Response grant = realm.grantWithOtpAfterAFailure("mail");
                assertEquals(200, grant.status(), grant.body());
            }
            JsonNode alice = keycloak.adminGet("/" + realm.name() + "/users/" + realm.userId(TestRealm.USER)).json();
            assertEquals(0, alice.get("requiredActions").size(), alice.toString());
        } finally {
            realm.configureAppPasswordAction(Map.of());
        }
    }

    private static JsonNode find(JsonNode actions, String alias) {
        return StreamSupport.stream(actions.spliterator(), false).filter(a -> alias.equals(a.get("alias").asText())).findFirst().orElse(null);
    }
}
