package dev.apppasswords.basic;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Username and password from an {@code Authorization: Basic ...} header (RFC 7617, UTF-8).
 * Anything malformed yields empty: the caller answers 401 as it would for a missing header.
 */
public record BasicCredentials(String username, String password) {

    private static final String SCHEME = "basic";
    private static final int MAX_HEADER = 8192;

    public static Optional<BasicCredentials> parse(String authorization) {
        if (authorization == null || authorization.length() > MAX_HEADER) {
            return Optional.empty();
        }
        String header = authorization.strip();
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase(SCHEME)) {
            return Optional.empty();
        }
        String decoded;
        try {
            byte[] bytes = Base64.getDecoder().decode(header.substring(space + 1).strip());
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    /** The value of a {@code WWW-Authenticate} challenge for a realm. */
    public static String challenge(String realmName) {
        return "Basic realm=\"" + realmName.replace("\\", "\\\\").replace("\"", "\\\"") + "\", charset=\"UTF-8\"";
    }

    @Override
    public String toString() {
        return "BasicCredentials[username=" + username + ", password=****]";
    }
}
