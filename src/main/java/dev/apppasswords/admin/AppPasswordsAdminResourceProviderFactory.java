package dev.apppasswords.admin;

import dev.apppasswords.spi.NoLifecycle;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Mounts {@link AppPasswordsAdminResource} at {@code /admin/realms/{realm}/app-passwords}. Keycloak has
 * authenticated the admin's token before it calls {@code getResource}; the resource checks the admin's
 * permissions itself. The SPI is marked internal (a warning at start); this class is the only one that
 * touches it.
 */
public class AppPasswordsAdminResourceProviderFactory implements AdminRealmResourceProviderFactory,
        NoLifecycle<AdminRealmResourceProvider> {

    public static final String ID = "app-passwords";

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return new AdminRealmResourceProvider() {
            @Override
            public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                                      AdminEventBuilder adminEvent) {
                return new AppPasswordsAdminResource(session, realm, auth, adminEvent.resource(AppPasswordsAdminResource.RESOURCE_TYPE));
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String getId() {
        return ID;
    }
}
