package dev.apppasswords.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which mail client fits which Dovecot: 2.3 sends only client_id (public), 2.4 client_id and client_secret. */
class MailServerNeedsTest {

    @Test
    void givenDovecot23AndAConfidentialClientThenTheAnswerWarns() {
        String warning = MailServerNeeds.warning("imap", true, "2.3");
        assertTrue(warning != null && warning.contains("unauthorized_client") && warning.contains("imap"), warning);
    }

    @Test
    void givenDovecot24AndAPublicClientThenTheAnswerWarns() {
        String warning = MailServerNeeds.warning("imap", false, "2.4");
        assertTrue(warning != null && warning.contains("client_secret"), warning);
    }

    @Test
    void givenAFittingClientOrNoVersionThenNoWarning() {
        assertNull(MailServerNeeds.warning("imap", false, "2.3"));
        assertNull(MailServerNeeds.warning("imap", true, "2.4"));
        assertNull(MailServerNeeds.warning("imap", true, null));
        assertNull(MailServerNeeds.warning("imap", false, null));
    }

    @Test
    void givenAnUnknownVersionThenItIsNotKnown() {
        assertTrue(MailServerNeeds.known(null));
        assertTrue(MailServerNeeds.known("2.4"));
        assertFalse(MailServerNeeds.known("3.0"));
        assertFalse(MailServerNeeds.known("2.4.1"));
    }
}
