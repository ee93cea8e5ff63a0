package dev.apppasswords.it.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the integration-test classes that work in a realm of their own: the shared Keycloak
 * ({@link KeycloakExtension}) and a fresh {@link TestRealm} per class, deleted afterwards. A subclass's
 * own {@code @BeforeAll} runs after the realm exists.
 */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RealmIT {

    protected Keycloak keycloak;
    protected TestRealm realm;

    /** Prefix of the realm's name, so a realm in the server log says which test class made it. */
    protected abstract String realmPrefix();

    @BeforeAll
    void createRealm(Keycloak keycloak) {
        this.keycloak = keycloak;
        realm = TestRealm.create(keycloak, realmPrefix());
    }

    @AfterAll
    void deleteRealm() {
        if (realm != null) {
            realm.delete();
        }
    }
}
