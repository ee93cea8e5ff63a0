package dev.apppasswords.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.KeycloakTransactionManager;

/**
 * The only writes on a login's path: at most one per key and interval on a node, each in a session of its own, and
 * a failed write neither fails the caller nor blocks the next try.
 */
class ThrottledWriterTest {

    private static final long T0 = 1_000_000L;

    private final ThrottledWriter writer = new ThrottledWriter();

    @Test
    void givenAKeyNeverWrittenThenItIsDue() {
        assertTrue(writer.due("use:ap-1", T0, 60_000));
    }

    @Test
    void givenAKeyWrittenWithinTheIntervalThenItIsNotDueUntilTheIntervalHasPassed() {
        writer.due("use:ap-1", T0, 60_000);

        assertFalse(writer.due("use:ap-1", T0 + 1, 60_000));
        assertFalse(writer.due("use:ap-1", T0 + 59_999, 60_000));
        assertTrue(writer.due("use:ap-1", T0 + 60_000, 60_000));
    }

    @Test
    void givenARefusedWriteThenTheIntervalStillCountsFromTheLastWrite() {
        writer.due("use:ap-1", T0, 60_000);
        writer.due("use:ap-1", T0 + 30_000, 60_000);

        assertTrue(writer.due("use:ap-1", T0 + 60_000, 60_000));
    }

    @Test
    void givenOneKeyWrittenThenOtherKeysAreStillDue() {
        writer.due("use:ap-1", T0, 60_000);

        assertTrue(writer.due("use:ap-2", T0, 60_000));
        assertTrue(writer.due("try:ap-1", T0, 60_000));
    }

    @Test
    void givenAZeroIntervalThenEveryWriteIsDue() {
        assertTrue(writer.due("use:ap-1", T0, 0));
        assertTrue(writer.due("use:ap-1", T0, 0));
    }

    @Test
    void givenAForgottenKeyThenItIsDueAtOnce() {
        writer.due("use:ap-1", T0, 60_000);

        writer.forget("use:ap-1");

        assertTrue(writer.due("use:ap-1", T0 + 1, 60_000));
    }

    private static KeycloakSessionFactory factoryOf(KeycloakSession session) {
        KeycloakSessionFactory factory = mock(KeycloakSessionFactory.class);
        when(factory.create()).thenReturn(session);
        when(session.getTransactionManager()).thenReturn(mock(KeycloakTransactionManager.class));
        return factory;
    }

    @Test
    void givenADueWriteThenItRunsInASessionOfItsOwnAndTheNextWithinTheIntervalDoesNot() {
        KeycloakSession own = mock(KeycloakSession.class);
        KeycloakSessionFactory factory = factoryOf(own);
        List<KeycloakSession> ran = new ArrayList<>();

        assertTrue(writer.write(factory, "use:ap-1", T0, 60_000, ran::add));
        assertFalse(writer.write(factory, "use:ap-1", T0 + 1_000, 60_000, ran::add));

        assertEquals(1, ran.size());
        assertSame(own, ran.get(0));
    }

    @Test
    void givenAWriteThatFailsThenTheCallerGoesOnAndTheNextTryIsNotHeldBack() {
        KeycloakSessionFactory factory = factoryOf(mock(KeycloakSession.class));
        List<Long> tries = new ArrayList<>();

        boolean first = writer.write(factory, "use:ap-1", T0, 60_000, session -> {
            tries.add(T0);
            throw new IllegalStateException("duplicate key");
        });
        boolean second = writer.write(factory, "use:ap-1", T0 + 1_000, 60_000, session -> tries.add(T0 + 1_000));

        assertFalse(first);
        assertTrue(second);
        assertEquals(List.of(T0, T0 + 1_000), tries);
    }
}
