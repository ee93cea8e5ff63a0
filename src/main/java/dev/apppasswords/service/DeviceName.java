package dev.apppasswords.service;

/**
 * The name a user gives an app password, after the device it is for ("Laptop", "Phone"). Stored as the
 * credential's user label, so it must fit that column.
 */
public final class DeviceName {

    /** Keycloak's CREDENTIAL.USER_LABEL is VARCHAR(255). */
    public static final int MAX_LENGTH = 255;

    private DeviceName() {
    }

    /** Trims and checks a name; throws {@link AppPasswordProblem} with a message for the user. */
    public static String validate(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty()) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT,
                    "Give the app password a name, for example the device it is for (\"Laptop\", \"Phone\").");
        }
        if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT,
                    "The name is too long: at most " + MAX_LENGTH + " characters.");
        }
        boolean unprintable = name.codePoints().anyMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.UNASSIGNED
                || Character.getType(c) == Character.PRIVATE_USE
                || Character.getType(c) == Character.SURROGATE);
        if (unprintable) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT,
                    "The name contains control or invisible characters; use letters, digits, spaces and punctuation.");
        }
        return name;
    }
}
