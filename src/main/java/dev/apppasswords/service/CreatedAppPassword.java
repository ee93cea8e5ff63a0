package dev.apppasswords.service;

/**
 * A freshly created app password: the only object that ever holds the clear secret, and only until it
 * has been shown to its owner once.
 */
public record CreatedAppPassword(String id, String name, long createdAt, java.util.List<String> clients, Long expiresAt,
                                 String password) {

    @Override
    public String toString() {
        return "CreatedAppPassword[id=" + id + ", name=" + name + "]";
    }
}
