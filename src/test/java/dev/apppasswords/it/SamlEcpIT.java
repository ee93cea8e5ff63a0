package dev.apppasswords.it;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SAML ECP: a SOAP AuthnRequest with Basic credentials to the realm's SAML endpoint, whose "saml ecp"
 * flow has {@code basic-auth-app-password} in place of Keycloak's {@code http-basic-authenticator}.
 */
class SamlEcpIT extends RealmIT {

    private String appPassword;

    @Override
    protected String realmPrefix() {
        return "ecp";
    }

    @BeforeAll
    void setUp() {
        appPassword = realm.newAppPassword(realm.userToken(), "ECP client").get("password").asText();
    }

    private Http.Response ecpLogin(String authorization) {
        String envelope = """
                <S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/">
                  <S:Body>
                    <samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"
                        ID="_%s" Version="2.0" IssueInstant="%s"
                        AssertionConsumerServiceURL="http://127.0.0.1/saml/acs"
                        ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:PAOS">
                      <saml:Issuer>urn:test:ecp-sp</saml:Issuer>
                    </samlp:AuthnRequest>
                  </S:Body>
                </S:Envelope>
                """.formatted(UUID.randomUUID(), Instant.now().toString());
        return keycloak.http().send("POST", realm.url("/protocol/saml"), Map.of("Authorization", authorization),
                "text/xml", envelope);
    }

    @Test
    void appPasswordGetsAnAssertion() {
        Http.Response response = ecpLogin(TestRealm.basic(TestRealm.USER, appPassword));
        assertEquals(200, response.status(), response.body());
        assertTrue(response.body().contains("urn:oasis:names:tc:SAML:2.0:status:Success"), response.body());
        assertTrue(response.body().contains(">" + TestRealm.USER + "<"), "the assertion names the user: " + response.body());
    }

    @Test
    void mainPasswordGetsNoAssertion() {
        // ECP requests are passive: Keycloak answers a failed login with a SAML "NoPassive" status, not a 401.
        Http.Response response = ecpLogin(TestRealm.basic(TestRealm.USER, realm.password()));
        assertTrue(!response.body().contains("status:Success"), response.body());
        assertTrue(response.body().contains("status:NoPassive"), response.body());
        assertTrue(!response.body().contains("<saml:Assertion"), response.body());
    }
}
