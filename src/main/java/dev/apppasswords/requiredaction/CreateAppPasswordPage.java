package dev.apppasswords.requiredaction;

import dev.apppasswords.spi.AppPasswords;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.apppasswords.service.AppPasswordPolicy;
import dev.apppasswords.service.AppPasswordProblem;
import dev.apppasswords.service.AppPasswordService;
import dev.apppasswords.service.AppPasswordView;
import dev.apppasswords.service.CreatedAppPassword;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.forms.login.LoginFormsProvider;

/**
 * Renders {@value #TEMPLATE} in one of its four states: create (step 1, with the expiry to pick), created
 * (step 2, the only place the clear password ever appears), limit reached, creation turned off (or not
 * for this user, saying why). Values go to the template
 * as plain strings and maps; FreeMarker's HTML auto-escaping (Keycloak turns it on for all templates)
 * escapes every one of them, device names included.
 */
final class CreateAppPasswordPage {

    static final String TEMPLATE = "create-app-password.ftl";

    enum State { CREATE, CREATED, LIMIT, DISABLED }

    private final RequiredActionContext context;
    private final AppPasswordService service;
    private CreatedAppPassword created;
    private String typedName;
    private String errorKey;
    private String infoKey;

    CreateAppPasswordPage(RequiredActionContext context, AppPasswordService service) {
        this.context = context;
        this.service = service;
    }

    CreateAppPasswordPage created(CreatedAppPassword created) {
        this.created = created;
        return this;
    }

    CreateAppPasswordPage info(String messageKey) {
        this.infoKey = messageKey;
        return this;
    }

    /** Shows the problem in the page's message area; the name the user typed stays in the field. */
    CreateAppPasswordPage problem(AppPasswordProblem problem, String typedName) {
        this.typedName = typedName;
        this.errorKey = switch (problem.kind()) {
            case INVALID_INPUT -> "appPasswordErrorInvalidName";
            case NOT_ALLOWED -> null;
            case DUPLICATE_NAME -> "appPasswordErrorDuplicateName";
            case NOT_FOUND -> "appPasswordErrorNotFound";
            // The page itself changes to say so; no separate message needed.
            case LIMIT_REACHED, CREATION_DISABLED -> null;
        };
        return this;
    }

    Response render() {
        AppPasswordPolicy policy = service.policy();
        List<AppPasswordView> existing = service.list();
        AppPasswordProblem noCreation = service.whyNoCreation();
        String refusal = noCreation != null && noCreation.kind() == AppPasswordProblem.Kind.NOT_ALLOWED ? noCreation.getMessage() : null;
        State state = created != null ? State.CREATED
                : noCreation != null ? State.DISABLED
                : existing.size() >= policy.maxPerUser() ? State.LIMIT
                : State.CREATE;

        Map<String, Object> bean = new LinkedHashMap<>();
        bean.put("state", state.name().toLowerCase(Locale.ROOT));
        bean.put("count", Integer.toString(existing.size()));
        bean.put("max", Integer.toString(policy.maxPerUser()));
        bean.put("offered", OfferAfterOtp.wasOffered(context));
        bean.put("defaultNumber", defaultNumber(existing));
        Locale locale = context.getSession().getContext().resolveLocale(context.getUser());
        bean.put("staleDevices", AppPasswords.of(context.getSession()).staleDevices().of(context.getUser()).stream().map(device -> Map.of(
                "name", String.valueOf(device.get("name")),
                "lastTried", format((Long) device.get("lastTriedAt"), locale))).toList());
        bean.put("expiryChoices", expiryChoices(policy.maxLifetimeDays()));
        bean.put("expiryDefault", policy.maxLifetimeDays() == null ? "" : policy.maxLifetimeDays().toString());
        if (refusal != null) {
            bean.put("refusal", refusal);
        }
        if (typedName != null) {
            bean.put("typedName", typedName);
        }
        if (created != null) {
            bean.put("createdName", created.name());
            bean.put("password", created.password());
            bean.put("passwordGroups", List.of(created.password().split(" ")));
        }
        if (state == State.LIMIT) {
            bean.put("existing", existing.stream().map(view -> row(view, locale)).toList());
        }

        LoginFormsProvider form = context.form().setAttribute("appPassword", bean);
        if (errorKey != null) {
            form.setError(errorKey);
        } else if (infoKey != null) {
            form.setInfo(infoKey);
        }
        return form.createForm(TEMPLATE);
    }

    /**
     * The N of the suggested name "App password N" (worded by the template, in the user's language): the count after this one, 
     * raised past numbers already ending an existing name so the suggestion is never a duplicate.
     */
    private static String defaultNumber(List<AppPasswordView> existing) {
        Set<String> taken = new HashSet<>();
        for (AppPasswordView view : existing) {
            String name = view.name() == null ? "" : view.name();
            taken.add(name.substring(name.lastIndexOf(' ') + 1));
        }
        int n = existing.size() + 1;
        while (taken.contains(Integer.toString(n))) {
            n++;
        }
        return Integer.toString(n);
    }

    /** Days the user may pick ("" for never): common choices within the realm's maximum lifetime, and the maximum itself. */
    private static List<String> expiryChoices(Integer maxDays) {
        List<String> choices = new java.util.ArrayList<>();
        if (maxDays == null) {
            choices.add("");
        }
        for (int days : new int[] {7, 30, 90, 365}) {
            if (maxDays == null || days < maxDays) {
                choices.add(Integer.toString(days));
            }
        }
        if (maxDays != null) {
            choices.add(maxDays.toString());
        }
        return choices;
    }

    private static Map<String, Object> row(AppPasswordView view, Locale locale) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", view.id());
        row.put("name", view.name() == null ? "" : view.name());
        row.put("created", format(view.createdAt(), locale));
        row.put("createdIso", iso(view.createdAt()));
        row.put("lastUsed", format(view.lastUsedAt(), locale));
        row.put("lastUsedIso", iso(view.lastUsedAt()));
        return row;
    }

    /** For the page's script, which shows the time in the browser's own time zone. */
    private static String iso(Long epochMillis) {
        return epochMillis == null ? "" : Instant.ofEpochMilli(epochMillis).toString();
    }

    /** What the page shows without its script: the server does not know the user's time zone. */
    private static String format(Long epochMillis, Locale locale) {
        if (epochMillis == null) {
            return "";
        }
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(locale).withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(epochMillis)) + " UTC";
    }
}
