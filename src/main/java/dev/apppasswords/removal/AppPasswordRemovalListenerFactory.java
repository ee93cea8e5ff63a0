package dev.apppasswords.removal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.apppasswords.session.AppPasswordSessions;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.KeycloakTransaction;

/**
 * Registers {@link AppPasswordRemovalListener} as a global listener: Keycloak hands it the events of every
 * realm without a realm admin adding it to the realm's event listeners, so no removal can slip past it.
 * It also owns the one background thread that repeats a removal's sweep of sessions after it committed.
 */
public class AppPasswordRemovalListenerFactory implements EventListenerProviderFactory {

    public static final String ID = "app-password-removal";

    /** Seconds after a removal committed at which its sessions are swept again (grants in flight take far less). */
    static final int[] LATER_SWEEPS = {2, 10};

    private static final Logger LOG = Logger.getLogger(AppPasswordRemovalListenerFactory.class);

    private KeycloakSessionFactory sessionFactory;
    private ScheduledExecutorService sweeper;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new AppPasswordRemovalListener(session, this);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.sessionFactory = factory;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "app-password-session-sweeper");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Sweeps at once after the removing transaction committed, then {@link #LATER_SWEEPS} seconds later. */
    KeycloakTransaction sweepsAfterCommit(String realmId, String userId, String appPasswordId) {
        return new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                sweep(realmId, userId, appPasswordId);
                for (int delay : LATER_SWEEPS) {
                    sweeper.schedule(() -> sweep(realmId, userId, appPasswordId), delay, TimeUnit.SECONDS);
                }
            }

            @Override
            protected void rollbackImpl() {
                // Nothing was removed.
            }
        };
    }

    private void sweep(String realmId, String userId, String appPasswordId) {
        try {
            int removed = AppPasswordSessions.sweep(sessionFactory, realmId, userId, appPasswordId);
            if (removed > 0) {
                LOG.debugf("app password %s: %d session(s) created while it was removed, signed out", appPasswordId, removed);
            }
        } catch (RuntimeException e) {
            LOG.warnf("app password %s: sweeping its sessions failed (%s); their refreshes are refused anyway",
                    appPasswordId, e.getMessage());
        }
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }
}
