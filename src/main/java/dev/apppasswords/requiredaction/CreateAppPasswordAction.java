package dev.apppasswords.requiredaction;

import dev.apppasswords.spi.AppPasswords;
import dev.apppasswords.credential.AppPasswordCredentialModel;
import dev.apppasswords.service.AppPasswordProblem;
import dev.apppasswords.service.AppPasswordService;
import dev.apppasswords.service.CreatedAppPassword;
import java.util.List;

import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.authentication.CredentialRegistrator;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The page that creates an app password, run by Keycloak as the required action
 * {@code create-app-password}: at a sign-in when the action is pending on the user (a default action for
 * new users, or {@link OfferAfterOtp}), or when an application asks for it with
 * {@code kc_action=create-app-password} (the account console's "Set up" on <i>Signing in</i>).
 *
 * <p>Keycloak calls {@link #requiredActionChallenge} to show the page and {@link #processAction} with each
 * form post. Posts go to {@code context.getActionUrl()}, whose session code and tab id Keycloak checks
 * before calling us: that is what protects the delete buttons against forged requests, as on Keycloak's
 * own login forms. The clear password is rendered in the response to the post that created it and is
 * kept nowhere else (not in the authentication session).
 */
public class CreateAppPasswordAction implements RequiredActionProvider, CredentialRegistrator {

    /** Form field naming what the user clicked. */
    static final String FIELD_ACTION = "action";
    static final String FIELD_DEVICE_NAME = "deviceName";
    static final String FIELD_CREDENTIAL_ID = "credentialId";
    static final String FIELD_EXPIRES_IN_DAYS = "expiresInDays";
    static final String ACTION_CREATE = "create";
    static final String ACTION_DELETE = "delete";

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    @Override
    public String getCredentialType(KeycloakSession session, AuthenticationSessionModel authenticationSession) {
        return AppPasswordCredentialModel.TYPE;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        OfferAfterOtp.evaluate(context);
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        AppPasswordService service = service(context);
        // A default action is added to every new user, also to users who already got an app password
        // some other way (REST API, admin): they are never made to create another one.
        if (!isAppInitiated(context) && service.count() > 0) {
            context.success();
            return;
        }
        context.challenge(new CreateAppPasswordPage(context, service).render());
    }

    @Override
    public void processAction(RequiredActionContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        AppPasswordService service = service(context);
        CreateAppPasswordPage page = new CreateAppPasswordPage(context, service);
        String action = form.getFirst(FIELD_ACTION);
        if (ACTION_CREATE.equals(action)) {
            String name = form.getFirst(FIELD_DEVICE_NAME);
            try {
                CreatedAppPassword created = service.create(name, List.of(), expiresInDays(form.getFirst(FIELD_EXPIRES_IN_DAYS)),
                        context.getAuthenticationSession().getClient());
                context.challenge(page.created(created).render());
            } catch (AppPasswordProblem problem) {
                context.challenge(page.problem(problem, name).render());
            }
        } else if (ACTION_DELETE.equals(action)) {
            try {
                service.delete(form.getFirst(FIELD_CREDENTIAL_ID), context.getAuthenticationSession().getClient());
                context.challenge(page.info("appPasswordDeleted").render());
            } catch (AppPasswordProblem problem) {
                context.challenge(page.problem(problem, null).render());
            }
        } else {
            finish(context, service, page);
        }
    }

    /**
     * "Done" or "Continue". A user who must get a first app password cannot leave by posting this
     * without one, unless creating is impossible or the page was only an offer.
     */
    private static void finish(RequiredActionContext context, AppPasswordService service, CreateAppPasswordPage page) {
        if (isAppInitiated(context) || OfferAfterOtp.wasOffered(context) || service.count() > 0 || service.whyNoCreation() != null) {
            context.success();
        } else {
            context.challenge(page.render());
        }
    }

    /** The page's expiry choice: empty for never (or the realm's maximum, applied by the policy). */
    private static Integer expiresInDays(String field) {
        if (field == null || field.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(field.strip());
        } catch (NumberFormatException e) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT, "Pick when the app password expires.");
        }
    }

    static boolean isAppInitiated(RequiredActionContext context) {
        return CreateAppPasswordActionFactory.ID.equals(
                context.getAuthenticationSession().getClientNote(Constants.KC_ACTION_EXECUTING));
    }

    private static AppPasswordService service(RequiredActionContext context) {
        return AppPasswords.of(context.getSession()).service(context.getRealm(), context.getUser());
    }

    @Override
    public void close() {
    }
}
