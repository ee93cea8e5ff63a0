package dev.apppasswords.it.support;

import java.util.List;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one Keycloak for the whole test run (the first test class that needs it pays ~30 s, the rest
 * nothing) and stops it when JUnit closes its root store. Test classes get a {@link Keycloak} handle
 * as a constructor or method parameter and create their own realms, so they do not disturb each other.
 */
public final class KeycloakExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        keycloak(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Keycloak.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return keycloak(context);
    }

    private static Keycloak keycloak(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Keycloak.class, key -> Running.start(), Running.class).keycloak;
    }

    /** Closed by JUnit after the last test of the run. */
    private record Running(KeycloakServer server, Keycloak keycloak) implements ExtensionContext.Store.CloseableResource {
        static Running start() {
            // Docker registry tokens (docker-v2) are a feature Keycloak leaves off by default.
            KeycloakServer server = new KeycloakServer(List.of("--features=docker",
                    // The clean-up of expired app passwords every 2 s instead of hourly, for RealmRulesIT to wait for.
                    "--spi-app-passwords--default--cleanup-interval=2"));
            try {
                server.startFresh();
            } catch (Exception e) {
                throw new IllegalStateException("Could not start Keycloak", e);
            }
            return new Running(server, new Keycloak(server));
        }

        @Override
        public void close() {
            server.stop();
        }
    }
}
