package dev.apppasswords.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.Config;

/**
 * The server-wide settings: the {@code app-passwords} SPI's options win over the older {@code credential} ones,
 * unset options take the defaults, and impossible values stop the server with the option named.
 */
class AppPasswordSettingsTest {

    /** A configuration scope holding {@code values}; any other option answers its caller's default. */
    private static Config.Scope scope(Map<String, Integer> values) {
        Config.Scope scope = mock(Config.Scope.class);
        when(scope.getInt(anyString(), any())).thenAnswer(invocation ->
                values.getOrDefault(invocation.<String>getArgument(0), invocation.getArgument(1)));
        return scope;
    }

    @Test
    void givenNoOptionsThenTheDefaultsApply() {
        AppPasswordSettings settings = AppPasswordSettings.from(scope(Map.of()), scope(Map.of()));

        assertEquals(new AppPasswordSettings(40, 60, 10, 3600), settings);
        assertEquals(AppPasswordSettings.DEFAULTS, settings);
    }

    @Test
    void givenBothScopesSetThenThePrimaryWins() {
        AppPasswordSettings settings = AppPasswordSettings.from(
                scope(Map.of(AppPasswordSettings.MAX_PER_USER, 5, AppPasswordSettings.USAGE_WRITE_INTERVAL, 10,
                        AppPasswordSettings.FAILED_LOGINS_PER_SOURCE, 3)),
                scope(Map.of(AppPasswordSettings.MAX_PER_USER, 50, AppPasswordSettings.USAGE_WRITE_INTERVAL, 100,
                        AppPasswordSettings.FAILED_LOGINS_PER_SOURCE, 30)));

        assertEquals(new AppPasswordSettings(5, 10, 3, 3600), settings);
    }

    @Test
    void givenOnlyTheOlderOptionsThenTheyAreStillRead() {
        AppPasswordSettings settings = AppPasswordSettings.from(scope(Map.of(AppPasswordSettings.MAX_PER_USER, 5)),
                scope(Map.of(AppPasswordSettings.MAX_PER_USER, 50, AppPasswordSettings.USAGE_WRITE_INTERVAL, 100)));

        assertEquals(new AppPasswordSettings(5, 100, 10, 3600), settings);
    }

    @Test
    void givenZeroForTheIntervalAndTheThrottleThenTheyAreAccepted() {
        AppPasswordSettings settings = AppPasswordSettings.from(scope(Map.of(AppPasswordSettings.USAGE_WRITE_INTERVAL, 0,
                AppPasswordSettings.FAILED_LOGINS_PER_SOURCE, 0)), scope(Map.of()));

        assertEquals(0, settings.usageWriteIntervalSeconds());
        assertEquals(0, settings.failedLoginsPerSource());
    }

    @Test
    void givenImpossibleValuesThenTheServerRefusesThemNamingTheOption() {
        for (Map.Entry<String, Integer> bad : Map.of(AppPasswordSettings.MAX_PER_USER, 0,
                AppPasswordSettings.USAGE_WRITE_INTERVAL, -1,
                AppPasswordSettings.FAILED_LOGINS_PER_SOURCE, -1).entrySet()) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> AppPasswordSettings.from(scope(Map.of(bad.getKey(), bad.getValue())), scope(Map.of())), bad.toString());
            assertTrue(refused.getMessage().startsWith(bad.getKey()), refused.getMessage());
        }
    }
}
