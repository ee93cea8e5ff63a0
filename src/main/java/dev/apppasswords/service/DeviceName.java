package dev.apppasswords.service;

/**
 * The name a user gives an app password, after the device it is for ("Laptop", "Phone"). Stored as the
 * credential's user label, so it must fit that column.
 */
public final class DeviceName {

    /**
     * Keycloak's CREDENTIAL.USER_LABEL is VARCHAR(255), counted by the databases in UTF-16 units (an emoji is
     * two), which is what Java's {@code String.length()} counts.
     */
    public static final int MAX_LENGTH = 255;

    /** Letters that render as nothing at all (Hangul fillers, the blank Braille pattern): a name must be visible. */
    private static final String BLANK_LETTERS = "\u115F\u1160\u3164\uFFA0\u2800";

    private DeviceName() {
    }

    /**
     * The name as an event detail. Keycloak's own event table on MariaDB/MySQL cannot store characters
     * outside the Basic Multilingual Plane (emoji) in its details column, and a failed event write fails
     * the whole request: such characters are replaced by U+FFFD in events only (the name itself keeps them).
     */
    public static String forEvent(String name) {
        if (name == null || name.codePoints().allMatch(Character::isBmpCodePoint)) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> out.appendCodePoint(Character.isBmpCodePoint(c) ? c : 0xFFFD));
        return out.toString();
    }

    /** Trims and checks a name; throws {@link AppPasswordProblem} with a message for the user. */
    public static String validate(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty()) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT,
                    "Give the app password a name, for example the device it is for (\"Laptop\", \"Phone\").");
        }
        if (name.length() > MAX_LENGTH) {
            throw new AppPasswordProblem(AppPasswordProblem.Kind.INVALID_INPUT,
                    "The name is too long: at most " + MAX_LENGTH + " characters (an emoji counts as two).");
        }
        boolean unprintable = name.codePoints().anyMatch(c -> Character.isISOControl(c)
                || BLANK_LETTERS.indexOf(c) >= 0
                || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR
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
