package dev.apppasswords.admin;

import dev.apppasswords.spi.AppPasswords;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.apppasswords.service.AppPasswordProblem;
import dev.apppasswords.service.AppPasswordService;
import dev.apppasswords.service.AppPasswordView;
import dev.apppasswords.service.DeviceName;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/app-passwords}: what a realm admin needs — the realm overview with the
 * least recently used app passwords, one user's app passwords, revoking one or all of them, and the
 * one-step set-up. Keycloak's own admin permissions decide: view-users to read, manage-users to revoke
 * (fine-grained user permissions where the realm uses them), manage-realm and the right to manage each named
 * client to set up. Every change goes
 * through {@link AppPasswordService} and is an admin event whose representation names the app passwords,
 * never a secret or a hash.
 */
public class AppPasswordsAdminResource {

    static final String RESOURCE_TYPE = "APP_PASSWORD";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    AppPasswordsAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    /** Realm overview: counts, and a page of the least recently used app passwords (never used first). */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> overview(@QueryParam("first") Integer first, @QueryParam("max") Integer max) {
        auth.users().requireView();
        int from = first == null ? 0 : first;
        int size = max == null ? 20 : max;
        if (from < 0 || size < 1 || size > 1000) {
            throw problem("\"first\" must be 0 or more and \"max\" between 1 and 1000.");
        }
        return new RealmOverview(session, realm).read(from, size);
    }

    @GET
    @Path("users/{userId}")
    @Produces(MediaType.APPLICATION_JSON)
    public List<AppPasswordView> list(@PathParam("userId") String userId) {
        UserModel user = user(userId);
        auth.users().requireView(user);
        return AppPasswords.of(session).service(realm, user).list();
    }

    /** The user's removed app passwords that a device still sends (stale devices), most recent try first. */
    @GET
    @Path("users/{userId}/stale-devices")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> staleDevices(@PathParam("userId") String userId) {
        UserModel user = user(userId);
        auth.users().requireView(user);
        return AppPasswords.of(session).staleDevices().of(user);
    }

    @DELETE
    @Path("users/{userId}/{id}")
    public Response revoke(@PathParam("userId") String userId, @PathParam("id") String id) {
        UserModel user = user(userId);
        auth.users().requireManage(user);
        AppPasswordService service = AppPasswords.of(session).service(realm, user);
        AppPasswordView view = service.list().stream().filter(v -> v.id().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("No app password with this id."));
        service.delete(id, null, AppPasswordService.REASON_ADMIN);
        adminEvent.operation(OperationType.DELETE).resourcePath(session.getContext().getUri())
                .representation(named(user, List.of(view))).success();
        return Response.noContent().build();
    }

    /** Revokes all of the user's app passwords; answers how many. */
    @DELETE
    @Path("users/{userId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> revokeAll(@PathParam("userId") String userId) {
        UserModel user = user(userId);
        auth.users().requireManage(user);
        AppPasswordService service = AppPasswords.of(session).service(realm, user);
        List<AppPasswordView> revoked = service.list();
        service.deleteAll(null, AppPasswordService.REASON_ADMIN);
        adminEvent.operation(OperationType.DELETE).resourcePath(session.getContext().getUri())
                .representation(named(user, revoked)).success();
        return Map.of("revoked", revoked.size());
    }

    /** Creates and binds the recommended flows and registers the required action; see {@link FlowSetup}. */
    @POST
    @Path("setup")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> setup(SetupRequest request) {
        // manage-realm for the flows, keys and required action; manage-clients (or the fine-grained permission on
        // each client) for every client the call changes, checked by FlowSetup before anything changes.
        auth.realm().requireManageRealm();
        Map<String, Object> result = new FlowSetup(session, realm, auth).apply(request == null ? new SetupRequest() : request);
        adminEvent.operation(OperationType.ACTION).resourcePath(session.getContext().getUri()).representation(result).success();
        return result;
    }

    private UserModel user(String userId) {
        UserModel user = session.users().getUserById(realm, userId);
        if (user == null) {
            // Same answer with or without the right to see the user: existence is not disclosed to the unauthorised.
            auth.users().requireQuery();
            throw new NotFoundException("No user with this id.");
        }
        return user;
    }

    /** What an admin event records: ids, names and dates of the app passwords — never a secret or its hash. */
    private static Map<String, Object> named(UserModel user, List<AppPasswordView> appPasswords) {
        Map<String, Object> representation = new LinkedHashMap<>();
        representation.put("userId", user.getId());
        representation.put("username", user.getUsername());
        representation.put("appPasswords", appPasswords.stream().map(v -> {
            Map<String, Object> named = new LinkedHashMap<>();
            named.put("id", v.id());
            named.put("name", DeviceName.forEvent(v.name()));
            named.put("createdAt", v.createdAt());
            return named;
        }).toList());
        return representation;
    }

    private static jakarta.ws.rs.WebApplicationException problem(String message) {
        return new jakarta.ws.rs.BadRequestException(AppPasswordProblem.answer(400, message).build());
    }
}
