package dev.apppasswords.usage;

import java.util.List;

import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;

/** Tells Keycloak's JPA layer about the last-use table and its Liquibase changelog. */
public class UsageJpaEntityProvider implements JpaEntityProvider {

    @Override
    public List<Class<?>> getEntities() {
        return List.of(AppPasswordUsageEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/app-passwords-changelog.xml";
    }

    @Override
    public String getFactoryId() {
        return UsageJpaEntityProviderFactory.ID;
    }

    @Override
    public void close() {
    }
}
