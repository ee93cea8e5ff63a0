package dev.apppasswords.requiredaction;

import dev.apppasswords.spi.AppPasswords;
import dev.apppasswords.service.AppPasswordService;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.common.util.Time;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;

/**
 * The configuration option "offer an app password right after the user sets up OTP". Keycloak evaluates
 * required-action triggers before each sign-in's required actions, and again after each one finished,
 * so a user who has just set up OTP in {@code CONFIGURE_TOTP} is offered the page in the same sign-in.
 *
 * <p>The offer is made once per user, remembered in the user attribute {@value #OFFERED_ATTRIBUTE}, and
 * added to the sign-in only (not stored on the user): a pending action on the user would make every
 * direct grant fail with "Account is not fully set up", the very logins app passwords are for.
 */
final class OfferAfterOtp {

    /** User attribute: epoch seconds of the offer. */
    static final String OFFERED_ATTRIBUTE = "app-password-offered-after-otp";
    /** Authentication-session note: this sign-in shows the page as an offer the user may decline. */
    static final String OFFERED_NOTE = "app-password-offered";

    private OfferAfterOtp() {
    }

    static void evaluate(RequiredActionContext context) {
        if (isTokenEndpoint(context)) {
            return;
        }
        AppPasswordService service = AppPasswords.of(context.getSession()).service(context.getRealm(), context.getUser());
        if (!service.policy().offerAfterOtp()) {
            return;
        }
        UserModel user = context.getUser();
        if (user == null || user.getFirstAttribute(OFFERED_ATTRIBUTE) != null
                || context.getAuthenticationSession().getRequiredActions().contains(CreateAppPasswordActionFactory.ID)
                || user.getRequiredActionsStream().anyMatch(CreateAppPasswordActionFactory.ID::equals)) {
            return;
        }
        boolean hasOtp = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).findAny().isPresent();
        if (!hasOtp) {
            return;
        }
        if (service.count() > 0 || service.whyNoCreation() != null) {
            return;
        }
        user.setSingleAttribute(OFFERED_ATTRIBUTE, Long.toString(Time.currentTime()));
        context.getAuthenticationSession().setAuthNote(OFFERED_NOTE, "true");
        context.getAuthenticationSession().addRequiredAction(CreateAppPasswordActionFactory.ID);
    }

    static boolean wasOffered(RequiredActionContext context) {
        return "true".equals(context.getAuthenticationSession().getAuthNote(OFFERED_NOTE));
    }

    /** Direct grants evaluate the triggers too; an offer there could never be shown, only block the grant. */
    private static boolean isTokenEndpoint(RequiredActionContext context) {
        String path = context.getUriInfo().getPath();
        return path != null && path.endsWith("/token");
    }
}
