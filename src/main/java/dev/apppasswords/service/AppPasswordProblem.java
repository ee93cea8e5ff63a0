package dev.apppasswords.service;

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
}
