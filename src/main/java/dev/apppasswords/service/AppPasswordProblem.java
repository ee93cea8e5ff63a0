package dev.apppasswords.service;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A request about app passwords that cannot be carried out, with a message meant for the end user.
 * Nothing has changed when one is thrown.
 */
public class AppPasswordProblem extends RuntimeException {

    public enum Kind {
        INVALID_INPUT(400), CREATION_DISABLED(403), NOT_ALLOWED(403), NOT_FOUND(404), LIMIT_REACHED(409), DUPLICATE_NAME(409);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;

    public AppPasswordProblem(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** This problem as an answer of the user or admin REST API. */
    public Response.ResponseBuilder answer() {
        return answer(kind.httpStatus(), getMessage());
    }

    /**
     * The one error body of the extension's REST APIs, user and admin, in the form of Keycloak's account API:
     * {@code {"errorMessage": "..."}}, never a stack trace.
     */
    public static Response.ResponseBuilder answer(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("errorMessage", message));
    }
}
