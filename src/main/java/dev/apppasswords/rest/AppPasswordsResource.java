package dev.apppasswords.rest;

import dev.apppasswords.spi.AppPasswords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.service.AppPasswordPolicy;
import dev.apppasswords.service.AppPasswordProblem;
import dev.apppasswords.service.AppPasswordService;
import dev.apppasswords.service.CreatedAppPassword;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.cors.Cors;
import org.keycloak.util.JsonSerialization;

/**
 * {@code /realms/{realm}/app-passwords}: a signed-in user lists, creates and deletes their own app
 * passwords. Every operation goes through {@link AppPasswordService}.
 */
public class AppPasswordsResource {

    private static final String[] METHODS = {"GET", "POST", "DELETE", "OPTIONS"};

    private final KeycloakSession session;
    private final RealmModel realm;

    public AppPasswordsResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list() {
        return handle(caller -> Response.ok(service(caller).list()));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        return handle(caller -> {
            AppPasswordPolicy policy = service(caller).policy();
            if (!policy.enabled()) {
                return AppPasswordProblem.answer(403, "App passwords are not turned on in this realm. Ask your administrator.");
            }
            String notHere = policy.creationRefusal(caller.client() != null ? caller.client().getClientId() : null);
            if (notHere != null) {
                return AppPasswordProblem.answer(403, notHere);
            }
            int maxAge = policy.maxAuthAgeSeconds();
            if (caller.secondsSinceSignIn() > maxAge) {
                return AppPasswordProblem.answer(403, "Creating an app password needs a recent sign-in (within " + maxAge
                        + " seconds). Sign in again with your account password and second factor.");
            }
            JsonNode json = readObject(body);
            CreatedAppPassword created = service(caller).create(text(json, "name"), textList(json, "clients"),
                    integer(json, "expiresInDays"), caller.client());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", created.id());
            answer.put("name", created.name());
            answer.put("createdAt", created.createdAt());
            answer.put("clients", created.clients());
            answer.put("expiresAt", created.expiresAt());
            answer.put("password", created.password());
            return Response.status(Response.Status.CREATED).entity(answer).header("Cache-Control", "no-store");
        });
    }

    /** Removed app passwords a device still sends: "a device is still using the deleted app password Phone". */
    @GET
    @Path("stale-devices")
    @Produces(MediaType.APPLICATION_JSON)
    public Response staleDevices() {
        return handle(caller -> Response.ok(AppPasswords.of(session).staleDevices().of(caller.user())));
    }

    /**
     * Removes all of the caller's app passwords at once ("sign out every device"); answers how many. Each removal
     * is its own REMOVE_CREDENTIAL event, so every session they opened ends, as with one deletion.
     */
    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    public Response revokeAll() {
        return handle(caller -> Response.ok(Map.of("revoked", service(caller).deleteAll(caller.client(), null))));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        return handle(caller -> {
            service(caller).delete(id, caller.client());
            return Response.noContent();
        });
    }

    /** For reverse proxies; see {@link ForwardAuthResource}. */
    @Path("forward-auth")
    public ForwardAuthResource forwardAuth() {
        return new ForwardAuthResource(session, realm);
    }

    @OPTIONS
    public Response preflight() {
        return Cors.builder().auth().allowedMethods(METHODS).preflight().add(Response.ok());
    }

    @OPTIONS
    @Path("{any:.*}")
    public Response preflightAny() {
        return preflight();
    }

    private interface Action {
        Response.ResponseBuilder run(Caller caller);
    }

    private Response handle(Action action) {
        Caller caller;
        try {
            caller = Caller.authenticate(session, realm);
        } catch (Caller.Refused refused) {
            return Cors.builder().auth().allowedMethods(METHODS).allowAllOrigins().add(refused.response);
        }
        Response.ResponseBuilder answer;
        try {
            answer = action.run(caller);
        } catch (AppPasswordProblem problem) {
            session.getTransactionManager().setRollbackOnly();
            answer = AppPasswordProblem.answer(problem.kind().httpStatus(), problem.getMessage());
        }
        return Cors.builder().auth().allowedMethods(METHODS).checkAllowedOrigins(caller.token()).add(answer);
    }

    private AppPasswordService service(Caller caller) {
        return AppPasswords.of(session).service(realm, caller.user());
    }

    private static JsonNode readObject(String body) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? null : JsonSerialization.mapper.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT,
                    "Send a JSON object such as {\"name\": \"Phone\"}.");
        }
        return json;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT, "\"" + field + "\" must be a string.");
        }
        return value.asText();
    }

    private static Integer integer(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isInt()) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT, "\"" + field + "\" must be a whole number of days.");
        }
        return value.asInt();
    }

    private static List<String> textList(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT,
                    "\"" + field + "\" must be a list of client ids, such as [\"mail\"].");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT,
                        "\"" + field + "\" must be a list of client ids, such as [\"mail\"].");
            }
            items.add(item.asText());
        }
        return items;
    }
}
