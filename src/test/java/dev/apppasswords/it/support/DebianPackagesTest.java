package dev.apppasswords.it.support;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DebianPackagesTest {

    @Test
    void aMissingBinaryFailsNamingThePackageAndCiRun() {
        AssertionFailedError error = assertThrows(AssertionFailedError.class,
                () -> DebianPackages.require("/nonexistent/bin/nginx", "nginx"));
        assertTrue(error.getMessage().startsWith("/nonexistent/bin/nginx is missing: install Debian's nginx"), error.getMessage());
        assertTrue(error.getMessage().contains("apt-get install -y nginx"), error.getMessage());
        assertTrue(error.getMessage().contains(".ci/run installs"), error.getMessage());
    }

    @Test
    void aMissingPluginFailsNamingThePackage() {
        AssertionFailedError error = assertThrows(AssertionFailedError.class,
                () -> DebianPackages.requireFile("/nonexistent/lib/libauthdb_lua.so", "dovecot-auth-lua"));
        assertTrue(error.getMessage().startsWith("/nonexistent/lib/libauthdb_lua.so is missing: install Debian's dovecot-auth-lua"),
                error.getMessage());
    }

    @Test
    void anInstalledBinaryIsReturned() {
        assertEquals("/bin/sh", DebianPackages.require("/bin/sh", "dash").toString());
    }
}
