package dev.apppasswords.rest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class IdentityHeaderTest {

    @Test
    void asciiNamesAndAddressesStayReadable() {
        assertEquals("alice", IdentityHeader.encode("alice"));
        assertEquals("alice.smith+mail@example.org", IdentityHeader.encode("alice.smith+mail@example.org"));
    }

    @Test
    void givenNonAsciiNamesThenEachUserKeepsADistinctAsciiValue() {
        assertEquals("%C5%82ukasz", IdentityHeader.encode("łukasz"));
        assertEquals("%C5%84ukasz", IdentityHeader.encode("ńukasz"));
        assertEquals("j%C3%BCrgen", IdentityHeader.encode("jürgen"));
        assertNotEquals(IdentityHeader.encode("łukasz"), IdentityHeader.encode("ńukasz"));
    }

    @Test
    void givenAPercentSignThenItIsEncodedSoNoNameCanImitateAnother() {
        assertEquals("%25C5%2582ukasz", IdentityHeader.encode("%C5%82ukasz"));
        assertEquals("a%20b%0D%0A", IdentityHeader.encode("a b\r\n"));
    }
}
