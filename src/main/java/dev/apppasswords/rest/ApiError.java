package dev.apppasswords.rest;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Error answers in the account REST API's form: {@code {"errorMessage": "..."}}, never a stack trace. */
final class ApiError {

    private ApiError() {
    }

    static Response.ResponseBuilder of(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("errorMessage", message));
    }
}
